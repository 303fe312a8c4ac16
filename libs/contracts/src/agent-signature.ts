import { createHmac, timingSafeEqual } from 'node:crypto';
import { AGENT_SIGNATURE_TOLERANCE_SECONDS } from './agent.schema.js';

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`, the scheme Stripe uses for its webhooks. */
export function signAgentBody(secret: string, timestampSeconds: number, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(rawBody).digest('hex');
  return `v1=${mac}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifyAgentSignature(
  secret: string,
  header: string | undefined,
  timestampHeader: string | undefined,
  rawBody: Buffer | string,
  nowSeconds: number,
): SignatureCheck {
  if (!header || !timestampHeader) return { ok: false, reason: 'missing signature or timestamp header' };
  const timestamp = Number(timestampHeader);
  if (!Number.isInteger(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  if (Math.abs(nowSeconds - timestamp) > AGENT_SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: 'timestamp outside tolerance' };
  const expected = Buffer.from(signAgentBody(secret, timestamp, rawBody));
  // Several signatures may be sent during a credential rotation.
  for (const candidate of header.split(/\s+|,/).filter(Boolean)) {
    const actual = Buffer.from(candidate);
    if (actual.length === expected.length && timingSafeEqual(actual, expected)) return { ok: true };
  }
  return { ok: false, reason: 'signature mismatch' };
}
