import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '@bridgefleet/contracts/limits.schema.js';
import { warmupCaps, warmupFraction } from './warmup.js';

describe('warm-up', () => {
  it.each([
    [0, 14, 0.1],
    [7, 14, 0.55],
    [13, 14, 0.1 + (0.9 * 13) / 14],
    [14, 14, 1],
    [30, 14, 1],
    [0, 0, 1],
  ])('day %i of %i → %d of the caps', (day, days, fraction) => {
    expect(warmupFraction(day, days, 0.1)).toBeCloseTo(fraction, 12);
  });

  const calendar = { timeZone: 'Europe/Paris', dayResetTime: '03:00', floor: 0.1 };
  it.each([
    // started, now, dailyCap (200), dailyNewContacts (50), hourlyNewContacts (10)
    ['2026-01-10T10:00:00Z', '2026-01-10T23:00:00Z', 20, 5, 1],
    ['2026-01-10T10:00:00Z', '2026-01-11T01:59:00Z', 20, 5, 1], // before 03:00 Paris: still day 0
    ['2026-01-10T10:00:00Z', '2026-01-11T02:00:00Z', 32, 8, 1], // day 1: 0.1 + 0.9/14
    ['2026-01-10T10:00:00Z', '2026-01-17T12:00:00Z', 110, 27, 5],
    ['2026-01-10T10:00:00Z', '2026-01-24T12:00:00Z', 200, 50, 10],
  ])('started %s, at %s: caps %i/%i/%i', (started, now, daily, newDaily, newHourly) => {
    expect(warmupCaps(DEFAULT_LIMITS, new Date(started), new Date(now), calendar)).toEqual({
      dailyCap: daily,
      dailyNewContacts: newDaily,
      hourlyNewContacts: newHourly,
    });
  });

  it('keeps a configured 0 at 0 and never scales a positive cap below 1', () => {
    const caps = warmupCaps(
      { ...DEFAULT_LIMITS, dailyNewContacts: 0, hourlyNewContacts: 3 },
      new Date('2026-01-10T10:00:00Z'),
      new Date('2026-01-10T11:00:00Z'),
      calendar,
    );
    expect(caps).toMatchObject({ dailyNewContacts: 0, hourlyNewContacts: 1 });
  });
});
