import { DependencyDown, Problem } from '../http/problems.js';

// Prisma/driver codes that mean "could not reach or keep PostgreSQL", not "your request is wrong".
const UNAVAILABLE = new Set([
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
  'P2028',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P03',
  '08006',
  '08001',
]);

/**
 * Turns a lost database into a 503 with Retry-After. The handler answers only after its
 * transaction resolved, so any failure here means nothing was stored and no 202 leaves.
 */
export function asDependencyDown(error: unknown, retryAfterSeconds: number): unknown {
  if (error instanceof Problem) return error;
  const { code, name, message } = error as { code?: string; name?: string; message?: string };
  const unreachable =
    (code !== undefined && UNAVAILABLE.has(code)) ||
    name === 'DriverAdapterError' ||
    /connect|terminat|timeout|Unable to start a transaction/i.test(message ?? '');
  return unreachable ? new DependencyDown('PostgreSQL', retryAfterSeconds) : error;
}
