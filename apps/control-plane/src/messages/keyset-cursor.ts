import { ValidationFailed } from '../http/problems.js';

/**
 * Keyset pagination over (createdAt DESC, id DESC): the cursor names the last row of
 * the previous page, so pages stay stable while new rows arrive.
 */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): KeysetPosition {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const createdAt = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) throw new Error('bad cursor');
    return { createdAt, id };
  } catch {
    throw new ValidationFailed([{ path: 'query.cursor', message: 'must be a cursor from a previous page' }]);
  }
}

/** The Prisma `where` fragment for "after this position" in (createdAt DESC, id DESC) order. */
export function afterPosition(position: KeysetPosition | undefined) {
  if (!position) return {};
  return {
    OR: [{ createdAt: { lt: position.createdAt } }, { createdAt: position.createdAt, id: { lt: position.id } }],
  };
}
