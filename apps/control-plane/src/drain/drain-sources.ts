import type { RoutableLine } from '../dispatch/routing.repository.js';

export interface DrainSource {
  line: RoutableLine;
  /** Move only contacts with messages waiting (an unreachable line may come back for the rest). */
  waitingOnly: boolean;
}

/**
 * Lines whose contacts the drain worker moves: draining lines (all contacts); lines gone
 * for good (retired, flagged, banned) and lines whose node has been unreachable longer than
 * the toleration period (contacts with waiting messages; the router moves the others when
 * they next get a message).
 */
export function drainSources(lines: RoutableLine[], now: Date, tolerationSeconds: number): DrainSource[] {
  const sources: DrainSource[] = [];
  for (const line of lines) {
    if (line.admin === 'draining') sources.push({ line, waitingOnly: false });
    // Gone for good: the router moves contacts when they next get a message, but keeps
    // them (and that message) here while older ones wait, so those are moved from here.
    else if (line.admin === 'retired' || line.reputation === 'flagged' || line.reputation === 'banned')
      sources.push({ line, waitingOnly: true });
    else if (unreachablePastToleration(line, now, tolerationSeconds)) sources.push({ line, waitingOnly: true });
  }
  return sources;
}

function unreachablePastToleration(line: RoutableLine, now: Date, tolerationSeconds: number): boolean {
  return (
    line.nodeHealth === 'unreachable' &&
    line.nodeHealthChangedAt !== null &&
    now.getTime() - line.nodeHealthChangedAt.getTime() >= tolerationSeconds * 1000
  );
}

export function drainReason(line: RoutableLine): string {
  if (line.admin === 'draining' || line.admin === 'retired') return `line ${line.admin}`;
  if (line.reputation === 'flagged' || line.reputation === 'banned') return `line ${line.reputation}`;
  return 'line unreachable past the toleration period';
}
