import { describe, expect, it } from 'vitest';
import { DEFAULT_GOVERNOR_TUNING } from './governor-tuning.js';
import { loopGuardReleaseAt } from './loop-guard.js';
import { drawJitterMs, pacingReadyAt } from './pacing.js';
import { HOUR_MS, overRatio, ratioReleaseAt } from './ratio.js';
import { assessResponseRate } from './response-rate.js';
import { rollingWindowReleaseAt } from './rolling-window.js';

const now = new Date('2026-03-10T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('rolling window', () => {
  it.each([
    ['one below the cap', [ago(10), ago(20)], 3, null],
    ['at the cap: oldest + window', [ago(10), ago(20), ago(30)], 3, now.getTime() - 30 + HOUR_MS],
    ['over the cap (lowered): the one that brings it under', [ago(10), ago(20), ago(30), ago(40)], 3, now.getTime() - 30 + HOUR_MS],
    ['an event exactly one window old has left', [ago(HOUR_MS), ago(20)], 2, null],
    ['a zero cap comes back after one window', [], 0, now.getTime() + HOUR_MS],
  ])('%s', (_, times, cap, release) => {
    expect(rollingWindowReleaseAt(times, cap, HOUR_MS, now)?.getTime() ?? null).toBe(release);
  });

  it('loop guard: 10 sends to one contact in 10 minutes hold the 11th', () => {
    const sends = Array.from({ length: 10 }, (_, i) => ago((i + 1) * 50_000));
    expect(loopGuardReleaseAt(sends.slice(1), DEFAULT_GOVERNOR_TUNING, now)).toBeNull();
    expect(loopGuardReleaseAt(sends, DEFAULT_GOVERNOR_TUNING, now)).toEqual(new Date(now.getTime() - 500_000 + 600_000));
  });
});

describe('ratio', () => {
  const limits = { maxRatio: 2, ratioWindowHours: 24, ratioMinSample: 20 };
  it.each([
    [19, 0, false, 'under the minimum sample'],
    [20, 0, true, 'sample met, no inbound'],
    [20, 10, true, 'the next send would make 21:10'],
    [19, 10, false, 'under the sample even at 2:1'],
    [21, 11, false, 'the next send makes exactly 22:11'],
  ])('%i sent, %i inbound → over %s (%s)', (sent, inbound, over) => {
    expect(overRatio(sent, inbound, limits)).toBe(over);
  });

  it('waits for the buckets that keep it over to leave the window', () => {
    const hour = Math.floor(now.getTime() / HOUR_MS);
    const buckets = [
      { hour: hour - 30, sent: 50, inbound: 0 }, // outside the window already
      { hour: hour - 10, sent: 15, inbound: 1 },
      { hour: hour - 2, sent: 10, inbound: 4 },
    ];
    expect(ratioReleaseAt(buckets, limits, now, 60_000)).toEqual(new Date((hour - 10 + 24) * HOUR_MS));
  });
});

describe('response rate', () => {
  it.each([
    [19, 0, false],
    [20, 2, true],
    [20, 3, false],
    [100, 14, true],
    [100, 15, false],
  ])('%i first contacts, %i replied → throttle %s', (sent, responded, throttle) => {
    expect(assessResponseRate({ sent, responded }, DEFAULT_GOVERNOR_TUNING).throttle).toBe(throttle);
  });
});

describe('pacing', () => {
  it('is ready after gap + jitter, and jitter stays under half the gap', () => {
    expect(pacingReadyAt(null, 20_000, 0)).toBeNull();
    expect(pacingReadyAt(ago(1_000), 20_000, 3_000)).toEqual(new Date(now.getTime() + 22_000));
    expect(drawJitterMs(20_000, 0.5, () => 0)).toBe(0);
    expect(drawJitterMs(20_000, 0.5, () => 0.999999)).toBe(9_999);
  });
});
