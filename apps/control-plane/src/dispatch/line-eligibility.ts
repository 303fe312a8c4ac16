import type { RoutableLine } from './routing.repository.js';

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
