import { describe, expect, it } from 'vitest';
import { governorDay } from './governor-day.js';

describe('governorDay', () => {
  it.each([
    // [instant (UTC), time zone, reset, expected day, why]
    ['2026-03-10T02:59:00Z', 'UTC', '03:00', '2026-03-09', 'a minute before the reset belongs to the day before'],
    ['2026-03-10T03:00:00Z', 'UTC', '03:00', '2026-03-10', 'the reset minute starts the new day'],
    ['2026-03-10T23:59:00Z', 'UTC', '03:00', '2026-03-10', 'late evening'],
    ['2026-03-10T00:00:00Z', 'UTC', '00:00', '2026-03-10', 'midnight reset is the calendar day'],
    ['2026-03-10T23:59:59Z', 'UTC', '00:00', '2026-03-10', 'end of the calendar day'],
    ['2026-01-01T02:00:00Z', 'UTC', '03:00', '2025-12-31', 'crosses a year boundary'],
    ['2026-03-01T01:00:00Z', 'UTC', '03:00', '2026-02-28', 'crosses a month boundary (non-leap February)'],
    ['2028-03-01T01:00:00Z', 'UTC', '03:00', '2028-02-29', 'leap day'],
    ['2026-06-15T06:59:00Z', 'America/Los_Angeles', '00:00', '2026-06-14', 'PDT is UTC-7: 23:59 local'],
    ['2026-06-15T07:00:00Z', 'America/Los_Angeles', '00:00', '2026-06-15', 'PDT midnight'],
    ['2026-06-15T09:59:00Z', 'America/Los_Angeles', '03:00', '2026-06-14', '02:59 PDT'],
    ['2026-06-15T10:00:00Z', 'America/Los_Angeles', '03:00', '2026-06-15', '03:00 PDT'],
    ['2026-01-15T10:59:00Z', 'America/Los_Angeles', '03:00', '2026-01-14', '02:59 PST (UTC-8)'],
    ['2026-01-15T11:00:00Z', 'America/Los_Angeles', '03:00', '2026-01-15', '03:00 PST'],
    // Los Angeles jumps 02:00 PST → 03:00 PDT at 10:00Z.
    // New York jumps 02:00 EST → 03:00 EDT at 07:00Z.
    ['2026-03-08T06:59:00Z', 'America/New_York', '03:00', '2026-03-07', 'NY 01:59 EST, just before the jump'],
    ['2026-03-08T07:00:00Z', 'America/New_York', '03:00', '2026-03-08', 'NY 03:00 EDT, right after the jump'],
    ['2026-03-08T06:59:00Z', 'America/New_York', '02:00', '2026-03-07', 'NY reset at the skipped 02:00, one minute before'],
    ['2026-03-08T07:00:00Z', 'America/New_York', '02:00', '2026-03-08', 'NY reset at the skipped 02:00 happens at the jump'],
    [
      '2026-03-08T10:00:00Z',
      'America/Los_Angeles',
      '02:30',
      '2026-03-08',
      'LA jumps 01:59→03:00: the missing 02:30 reset happens at 03:00',
    ],
    ['2026-03-08T09:59:00Z', 'America/Los_Angeles', '02:30', '2026-03-07', 'LA 01:59 PST, before the jump'],
    // US fall back 2026-11-01: 02:00 PDT returns to 01:00 PST; 01:30 happens twice.
    ['2026-11-01T08:29:00Z', 'America/Los_Angeles', '01:30', '2026-10-31', 'first 01:29 PDT'],
    ['2026-11-01T08:30:00Z', 'America/Los_Angeles', '01:30', '2026-11-01', 'first 01:30 PDT starts the day'],
    ['2026-11-01T09:15:00Z', 'America/Los_Angeles', '01:30', '2026-11-01', 'the repeated 01:15 PST does not step back a day'],
    ['2026-11-01T09:45:00Z', 'America/Los_Angeles', '01:30', '2026-11-01', 'the repeated 01:30 PST does not start another day'],
    ['2026-11-01T10:59:00Z', 'America/Los_Angeles', '03:00', '2026-10-31', 'fall-back day 02:59 PST'],
    ['2026-11-01T11:00:00Z', 'America/Los_Angeles', '03:00', '2026-11-01', 'fall-back day 03:00 PST'],
    // Europe: spring forward 2026-03-29 at 01:00Z (02:00 CET → 03:00 CEST).
    ['2026-03-29T00:59:00Z', 'Europe/Berlin', '03:00', '2026-03-28', 'Berlin 01:59 CET'],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', '03:00', '2026-03-29', 'Berlin 03:00 CEST, right after the jump'],
    ['2026-06-01T15:00:00Z', 'Asia/Kolkata', '20:30', '2026-06-01', 'half-hour offset: 20:30 IST is 15:00Z'],
    ['2026-06-01T14:59:00Z', 'Asia/Kolkata', '20:30', '2026-05-31', '20:29 IST is still the previous governor day'],
    ['2026-06-01T15:00:00Z', 'Asia/Kolkata', '20:29', '2026-06-01', '20:30 IST is past a 20:29 reset'],
    ['2026-06-01T10:00:00Z', 'Pacific/Kiritimati', '03:00', '2026-06-01', 'UTC+14: 00:00 local on the 2nd is before the reset'],
    ['2026-06-01T14:00:00Z', 'Pacific/Kiritimati', '03:00', '2026-06-02', 'UTC+14: 04:00 local on the 2nd'],
  ])('%s in %s with reset %s → %s (%s)', (instant, timeZone, reset, expected) => {
    expect(governorDay(new Date(instant), timeZone, reset)).toBe(expected);
  });

  it.each([
    ['America/Los_Angeles', '02:30', '2026-03-07T00:00:00Z'],
    ['America/Los_Angeles', '01:30', '2026-10-31T00:00:00Z'],
    ['Europe/Berlin', '02:15', '2026-10-24T00:00:00Z'],
    ['UTC', '03:00', '2026-06-01T00:00:00Z'],
  ])('in %s with reset %s never steps back and starts one day per day around %s', (timeZone, reset, from) => {
    const days: string[] = [];
    for (let t = Date.parse(from); t < Date.parse(from) + 3 * 86_400_000; t += 5 * 60_000) {
      const day = governorDay(new Date(t), timeZone, reset);
      if (days.at(-1) !== day) days.push(day);
    }
    expect(days).toEqual([...days].sort());
    expect(days.length).toBeGreaterThanOrEqual(3);
    expect(days.length).toBeLessThanOrEqual(4);
  });

  it('rejects a malformed reset time', () => {
    expect(() => governorDay(new Date(), 'UTC', '3am')).toThrow(RangeError);
  });
});
