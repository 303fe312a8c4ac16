import { describe, expect, it } from 'vitest';
import { dayWindow, governorDaysBetween } from './day-window.js';

describe('dayWindow', () => {
  it.each([
    // [now, zone, reset, day, start, end]
    ['2026-03-10T02:59:59Z', 'UTC', '03:00', '2026-03-09', '2026-03-09T03:00:00.000Z', '2026-03-10T03:00:00.000Z'],
    ['2026-03-10T03:00:00Z', 'UTC', '03:00', '2026-03-10', '2026-03-10T03:00:00.000Z', '2026-03-11T03:00:00.000Z'],
    ['2026-03-10T00:00:00Z', 'UTC', '00:00', '2026-03-10', '2026-03-10T00:00:00.000Z', '2026-03-11T00:00:00.000Z'],
    // Paris in winter is UTC+1: 03:00 local = 02:00Z. One millisecond before and exactly at it.
    ['2026-01-15T01:59:59.999Z', 'Europe/Paris', '03:00', '2026-01-14', '2026-01-14T02:00:00.000Z', '2026-01-15T02:00:00.000Z'],
    ['2026-01-15T02:00:00.000Z', 'Europe/Paris', '03:00', '2026-01-15', '2026-01-15T02:00:00.000Z', '2026-01-16T02:00:00.000Z'],
    // Tokyo (UTC+9) local date runs ahead of UTC.
    ['2026-01-15T17:59:00Z', 'Asia/Tokyo', '03:00', '2026-01-15', '2026-01-14T18:00:00.000Z', '2026-01-15T18:00:00.000Z'],
    ['2026-01-15T18:00:00Z', 'Asia/Tokyo', '03:00', '2026-01-16', '2026-01-15T18:00:00.000Z', '2026-01-16T18:00:00.000Z'],
    // New York spring forward (2026-03-08, 02:00 EST → 03:00 EDT): the day is 23 hours long.
    ['2026-03-08T12:00:00Z', 'America/New_York', '03:00', '2026-03-08', '2026-03-08T07:00:00.000Z', '2026-03-09T07:00:00.000Z'],
    ['2026-03-07T12:00:00Z', 'America/New_York', '03:00', '2026-03-07', '2026-03-07T08:00:00.000Z', '2026-03-08T07:00:00.000Z'],
    // Reset inside the skipped hour: the day starts when the clock jumps past it (03:00 EDT).
    ['2026-03-08T07:00:00Z', 'America/New_York', '02:30', '2026-03-08', '2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z'],
    ['2026-03-08T06:59:59Z', 'America/New_York', '02:30', '2026-03-07', '2026-03-07T07:30:00.000Z', '2026-03-08T07:00:00.000Z'],
    // New York fall back (2026-11-01, 02:00 EDT → 01:00 EST): 01:30 happens twice, the first one counts,
    // and the second 01:00–01:30 stays in the new day (no day key going backwards).
    ['2026-11-01T05:30:00Z', 'America/New_York', '01:30', '2026-11-01', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'],
    ['2026-11-01T06:10:00Z', 'America/New_York', '01:30', '2026-11-01', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'],
    ['2026-11-01T05:29:59Z', 'America/New_York', '01:30', '2026-10-31', '2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z'],
    ['2026-11-01T12:00:00Z', 'America/New_York', '03:00', '2026-11-01', '2026-11-01T08:00:00.000Z', '2026-11-02T08:00:00.000Z'],
  ])('%s in %s reset %s → day %s', (now, zone, reset, day, start, end) => {
    const window = dayWindow(new Date(now), zone, reset);
    expect(window.day).toBe(day);
    expect(window.start.toISOString()).toBe(start);
    expect(window.end.toISOString()).toBe(end);
  });

  it('the governor day holding the spring-forward jump is 23 h long, the fall-back one 25 h', () => {
    // With a 03:00 reset the 02:00 jumps fall inside the days that started on 7 March and 31 October.
    const spring = dayWindow(new Date('2026-03-08T06:00:00Z'), 'America/New_York', '03:00');
    const fall = dayWindow(new Date('2026-11-01T06:30:00Z'), 'America/New_York', '03:00');
    expect([spring.day, fall.day]).toEqual(['2026-03-07', '2026-10-31']);
    expect(spring.end.getTime() - spring.start.getTime()).toBe(23 * 3_600_000);
    expect(fall.end.getTime() - fall.start.getTime()).toBe(25 * 3_600_000);
  });

  it('rejects a malformed reset time', () => {
    expect(() => dayWindow(new Date(), 'UTC', '3:00')).toThrow(/HH:MM/);
  });

  it('counts governor days, not 24-hour periods', () => {
    const from = new Date('2026-01-15T02:59:00Z');
    expect(governorDaysBetween(from, new Date('2026-01-15T03:00:00Z'), 'UTC', '03:00')).toBe(1);
    expect(governorDaysBetween(from, new Date('2026-01-15T02:59:59Z'), 'UTC', '03:00')).toBe(0);
    expect(governorDaysBetween(from, new Date('2026-01-25T04:00:00Z'), 'UTC', '03:00')).toBe(11);
  });
});
