import { createHash } from 'node:crypto';

/**
 * Paths pino replaces with "[redacted]" wherever they appear in a log object: credentials
 * of every kind and message bodies. Bodies are logged only as length and SHA-256.
 */
export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'headers.cookie',
  '*.authorization',
  'key',
  'apiKey',
  'token',
  'agentToken',
  'secret',
  'password',
  'body',
  '*.key',
  '*.apiKey',
  '*.token',
  '*.agentToken',
  '*.secret',
  '*.password',
  '*.body',
];

/** What may be logged about a message body: how long it was and its hash, never the text. */
export function describeBody(body: unknown): { bodyLength: number; bodySha256: string } | undefined {
  if (typeof body !== 'string') return undefined;
  return { bodyLength: body.length, bodySha256: createHash('sha256').update(body).digest('hex') };
}

// Bearer keys and webhook secrets that slip into a free-text message are masked too.
const SECRET_IN_TEXT = /\b(bf_[a-z0-9]{8}_)[A-Za-z0-9]{8,}|\b(whsec_)[A-Za-z0-9+/=]{8,}|(Bearer\s+)\S+/g;

export function maskSecrets(text: string): string {
  return text.replace(
    SECRET_IN_TEXT,
    (_match, key?: string, webhook?: string, bearer?: string) => `${key ?? webhook ?? bearer ?? ''}[redacted]`,
  );
}
