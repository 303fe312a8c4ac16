import type { RoutableLine } from './routing.repository.js';

/**
 * DESIGN.md: assignable = active ∧ healthy ∧ reputation ∈ {warming, good};
 * sendable = not retired ∧ not flagged/banned ∧ not unreachable.
 */
export function isAssignable(line: RoutableLine): boolean {
  return line.admin === 'active' && line.nodeHealth === 'healthy' && (line.reputation === 'warming' || line.reputation === 'good');
}

export function isSendable(line: { admin: string; reputation: string; nodeHealth: string }): boolean {
  return line.admin !== 'retired' && line.reputation !== 'flagged' && line.reputation !== 'banned' && line.nodeHealth !== 'unreachable';
}

/**
 * A contact stays on its line unless the line is gone for good (retired, flagged,
 * banned) or unreachable past the toleration period: a different sender is
 * visible to the user, so a short outage is waited out.
 */
export function mustReassign(line: RoutableLine, now: Date, tolerationSeconds: number): boolean {
  if (line.admin === 'retired' || line.admin === 'draining') return true;
  if (line.reputation === 'flagged' || line.reputation === 'banned') return true;
  if (line.nodeHealth === 'unreachable' && line.nodeHealthChangedAt) {
    return now.getTime() - line.nodeHealthChangedAt.getTime() >= tolerationSeconds * 1000;
  }
  return false;
}
