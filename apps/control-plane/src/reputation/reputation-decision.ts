import type { ResponseRateVerdict } from '@bridgefleet/policy/governor/response-rate.js';
import type { ReputationAction, ReputationState } from '@bridgefleet/policy/line-lifecycle.js';

/** What the reputation updater does to one line: nothing, or one automatic reputation action. */
export type ReputationDecision = { action: Extract<ReputationAction, 'promote' | 'throttle' | 'unthrottle'>; reason: string } | null;

export interface ReputationFacts {
  reputation: ReputationState;
  /** The line has been warming for at least its warmupDays (counted in governor days). */
  warmupOver: boolean;
  responseRate: ResponseRateVerdict;
  /** The floor the verdict was judged against, for the reason text. */
  floor: number;
}

/**
 * The automatic half of the reputation state machine (DESIGN.md "Line lifecycle"):
 * warming → good when the warm-up is over, good ⇄ throttled on the first-contact response
 * rate. Flagged and banned belong to people; the updater never decides anything for them.
 * A warming line is not throttled: the gate already holds its new contacts while the
 * rate is low, and the warm-up caps keep its volume small.
 */
export function decideReputation(facts: ReputationFacts): ReputationDecision {
  const rate = describeRate(facts.responseRate);
  switch (facts.reputation) {
    case 'warming':
      return facts.warmupOver ? { action: 'promote', reason: 'warm-up period over' } : null;
    case 'good':
      return facts.responseRate.throttle
        ? { action: 'throttle', reason: `first-contact response rate ${rate} is below ${percent(facts.floor)}` }
        : null;
    case 'throttled':
      return facts.responseRate.throttle
        ? null
        : { action: 'unthrottle', reason: `first-contact response rate recovered (${rate}; floor ${percent(facts.floor)})` };
    default:
      return null;
  }
}

function describeRate(verdict: ResponseRateVerdict): string {
  if (verdict.rate === null) return 'n/a (no first contacts in the window)';
  return `${verdict.responded}/${verdict.sample} (${percent(verdict.rate)}) over 7 days`;
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}
