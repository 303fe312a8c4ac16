import { governorDay } from '../governor-day.js';

/**
 * The governor day: daily caps reset at a local wall-clock time (default 03:00) in the
 * fleet's time zone, not at UTC midnight, so a line's "day" matches its users' night.
 * A day is the half-open interval [start, end); on DST days it lasts 23 or 25 hours.
 */
export interface DayWindow {
  /** Local calendar date on which the day started, `YYYY-MM-DD`: the counter key. */
  day: string;
  start: Date;
  end: Date;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export function dayWindow(now: Date, timeZone: string, resetTime: string): DayWindow {
  const [hour, minute] = parseResetTime(resetTime);
  // The day key comes from the shared governorDay so every reader agrees on it.
  const day = governorDay(now, timeZone, resetTime);
  const date = Date.parse(`${day}T00:00:00Z`);
  return {
    day,
    start: new Date(dayStart(date, hour, minute, timeZone)),
    end: new Date(dayStart(date + DAY, hour, minute, timeZone)),
  };
}

/** Whole governor days from `from`'s day to `to`'s day (0 on the same day). */
export function governorDaysBetween(from: Date, to: Date, timeZone: string, resetTime: string): number {
  const a = Date.parse(`${dayWindow(from, timeZone, resetTime).day}T00:00:00Z`);
  const b = Date.parse(`${dayWindow(to, timeZone, resetTime).day}T00:00:00Z`);
  return Math.round((b - a) / DAY);
}

function parseResetTime(resetTime: string): [number, number] {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(resetTime);
  if (!match) throw new Error(`reset time must be HH:MM, got "${resetTime}"`);
  return [Number(match[1]), Number(match[2])];
}

/**
 * The first instant whose local wall time on `dateUtcMidnight`'s date is at or after
 * hour:minute. Ambiguous (fall-back) times take the first occurrence; skipped
 * (spring-forward) times take the instant the clock jumps past them.
 */
function dayStart(dateUtcMidnight: number, hour: number, minute: number, timeZone: string): number {
  const local = dateUtcMidnight + (hour * 60 + minute) * MINUTE;
  const before = local - offsetAt(local - DAY, timeZone);
  const after = local - offsetAt(local + DAY, timeZone);
  const valid = [before, after].filter((instant) => instant + offsetAt(instant, timeZone) === local);
  if (valid.length > 0) return Math.min(...valid);
  // Skipped wall time: binary-search the jump between the two candidates.
  let low = Math.min(before, after);
  let high = Math.max(before, after);
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (mid + offsetAt(mid, timeZone) >= local) high = mid;
    else low = mid;
  }
  return high;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(instant: number, timeZone: string): WallClock {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Milliseconds the zone's wall clock is ahead of UTC at `instant` (whole seconds). */
function offsetAt(instant: number, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}
