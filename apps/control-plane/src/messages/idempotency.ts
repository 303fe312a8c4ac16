import { createHash } from 'node:crypto';
import { IdempotencyKey } from '@bridgefleet/contracts/messages.schema.js';
import { Problem, ValidationFailed } from '../http/problems.js';

/** Keys are kept (and replayed) for 24 h, as API.md promises. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

export class IdempotencyKeyReused extends Problem {
  constructor() {
    super(422, 'Idempotency key reused', 'This Idempotency-Key was already used with a different request body.');
  }
}

export class IdempotentRequestInFlight extends Problem {
  constructor() {
    super(409, 'Conflict', 'A request with this Idempotency-Key is still being processed; retry shortly.', undefined, {
      'Retry-After': '1',
    });
  }
}

/** The header's value, or undefined when absent; a malformed key is a 400. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const result = IdempotencyKey.safeParse(Array.isArray(header) ? header.join(', ') : header);
  if (!result.success) {
    throw new ValidationFailed([{ path: 'headers.idempotency-key', message: result.error.issues[0]?.message ?? 'invalid' }]);
  }
  return result.data;
}

/** JSON with object keys sorted at every level, so key order does not change the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}
