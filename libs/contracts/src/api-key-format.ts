import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Keys look like `bf_<prefix>_<secret>`: the prefix (8 lowercase alphanumerics)
 * finds the row, the secret (43 base62 characters, ~256 bits) proves possession.
 * Only SHA-256 of the secret is stored. A fast hash is right for a random
 * 256-bit secret (nothing to brute-force, unlike passwords), and it keeps the
 * check off the hot path of every request.
 */
const KEY_PATTERN = /^bf_([a-z0-9]{8})_([A-Za-z0-9]{32,64})$/;
const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface ParsedKey {
  prefix: string;
  secret: string;
}

export interface GeneratedKey extends ParsedKey {
  key: string;
  secretHash: string;
}

function randomString(alphabet: string, length: number): string {
  // Rejection sampling keeps every character uniform.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

export function parseApiKey(key: string): ParsedKey | undefined {
  const match = KEY_PATTERN.exec(key);
  return match ? { prefix: match[1]!, secret: match[2]! } : undefined;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function generateApiKey(): GeneratedKey {
  const prefix = randomString(PREFIX_ALPHABET, 8);
  const secret = randomString(SECRET_ALPHABET, 43);
  return { prefix, secret, key: `bf_${prefix}_${secret}`, secretHash: hashSecret(secret) };
}
