import { describe, expect, it } from 'vitest';
import type { ResponseRateVerdict } from '@bridgefleet/policy/governor/response-rate.js';
import type { ReputationState } from '@bridgefleet/policy/line-lifecycle.js';
import { decideReputation } from './reputation-decision.js';

const low: ResponseRateVerdict = { sample: 25, responded: 1, rate: 0.04, throttle: true };
const fine: ResponseRateVerdict = { sample: 25, responded: 5, rate: 0.2, throttle: false };
const none: ResponseRateVerdict = { sample: 0, responded: 0, rate: null, throttle: false };

function decide(reputation: ReputationState, responseRate: ResponseRateVerdict, warmupOver: boolean) {
  return decideReputation({ reputation, warmupOver, responseRate, floor: 0.15 })?.action ?? null;
}

describe('decideReputation', () => {
  it.each([
    ['warming', fine, false, null],
    ['warming', fine, true, 'promote'],
    // The gate holds a warming line's new contacts by itself; the state waits for the warm-up.
    ['warming', low, false, null],
    ['warming', low, true, 'promote'],
    ['good', fine, true, null],
    ['good', none, true, null],
    ['good', low, true, 'throttle'],
    ['throttled', low, true, null],
    ['throttled', fine, true, 'unthrottle'],
    // The sample aged out of the window: judged afresh.
    ['throttled', none, true, 'unthrottle'],
    ['flagged', fine, true, null],
    ['flagged', low, true, null],
    ['banned', fine, true, null],
  ] as const)('%s with rate %o, warm-up over %s → %s', (reputation, rate, warmupOver, expected) => {
    expect(decide(reputation, rate, warmupOver)).toBe(expected);
  });

  it('says why, with the figures', () => {
    expect(decideReputation({ reputation: 'good', warmupOver: true, responseRate: low, floor: 0.15 })?.reason).toBe(
      'first-contact response rate 1/25 (4%) over 7 days is below 15%',
    );
  });
});
