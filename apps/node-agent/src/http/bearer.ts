import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares `Authorization: Bearer <token>` with the agent credential in constant time:
 * both sides are hashed first so neither the content nor the length leaks through timing.
 */
export function bearerMatches(header: string | undefined, expectedToken: string): boolean {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  const presented = createHash('sha256')
    .update(match?.[1] ?? '')
    .digest();
  const expected = createHash('sha256').update(expectedToken).digest();
  return timingSafeEqual(presented, expected) && match !== null;
}
