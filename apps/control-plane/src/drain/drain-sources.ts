import type { RoutableLine } from '../dispatch/routing.repository.js';

export interface DrainSource {
  line: RoutableLine;
  /** Move only contacts with messages waiting (an unreachable line may come back for the rest). */
  waitingOnly: boolean;
}

/**
 * Lines whose contacts the drain worker moves: draining lines (all contacts), and lines
 * whose node has been unreachable longer than the toleration period (contacts with
 * waiting messages; the router moves the others when they next get a message).
 */
export function drainSources(lines: RoutableLine[], now: Date, tolerationSeconds: number): DrainSource[] {
  const sources: DrainSource[] = [];
  for (const line of lines) {
    if (line.admin === 'retired') continue;
    if (line.admin === 'draining') sources.push({ line, waitingOnly: false });
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
  return line.admin === 'draining' ? 'line draining' : 'line unreachable past the toleration period';
}
