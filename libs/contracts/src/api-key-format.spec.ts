import { describe, expect, it } from 'vitest';
import { generateApiKey, hashSecret, parseApiKey, secretMatches } from './api-key-format.js';

describe('API key format', () => {
  it('generates bf_<8 lowercase alphanumerics>_<43 base62> with only a hash of the secret', () => {
    const key = generateApiKey();
    expect(key.key).toMatch(/^bf_[a-z0-9]{8}_[A-Za-z0-9]{43}$/);
    expect(key.key).toBe(`bf_${key.prefix}_${key.secret}`);
    expect(key.secretHash).toBe(hashSecret(key.secret));
    expect(key.secretHash).not.toContain(key.secret);
  });

  it('never repeats a prefix or secret across many keys', () => {
    const keys = Array.from({ length: 2_000 }, () => generateApiKey());
    expect(new Set(keys.map((k) => k.prefix)).size).toBe(keys.length);
    expect(new Set(keys.map((k) => k.secret)).size).toBe(keys.length);
  });

  it('parses well-formed keys and refuses everything else', () => {
    const { key, prefix, secret } = generateApiKey();
    expect(parseApiKey(key)).toEqual({ prefix, secret });
    for (const bad of [
      '',
      'bf_',
      `bf_${prefix}`,
      `bf_${prefix.toUpperCase()}_${secret}`,
      `bf_${prefix}x_${secret}`,
      `bf_${prefix}_${secret.slice(0, 20)}`,
      `xx_${prefix}_${secret}`,
      `bf_${prefix}_${secret} `,
      `bf_${prefix}_${secret};drop`,
    ]) {
      expect(parseApiKey(bad), bad).toBeUndefined();
    }
  });

  it('verifies the secret against its hash, and only that secret', () => {
    const { secret, secretHash } = generateApiKey();
    expect(secretMatches(secret, secretHash)).toBe(true);
    expect(secretMatches(`${secret.slice(0, -1)}x`, secretHash)).toBe(false);
    expect(secretMatches(generateApiKey().secret, secretHash)).toBe(false);
    expect(secretMatches(secret, 'not-a-hash')).toBe(false);
  });
});
