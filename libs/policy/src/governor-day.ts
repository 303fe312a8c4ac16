/**
 * The governor's day: caps reset at a local wall-clock time (default 03:00) in the fleet's
 * time zone, so late-night sends count towards the evening they belong to.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Minutes after local midnight for an `HH:MM` reset time. */
function resetMinutes(dayResetTime: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(dayResetTime);
  if (!match) throw new RangeError(`dayResetTime must be HH:MM, got ${dayResetTime}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The local wall clock at `instant` (minute precision), expressed as if it were UTC. */
function wallClock(instant: number, timeZone: string): number {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
}

/**
 * The first instant at which local clocks show `wall` (a wall-clock time encoded as UTC).
 * Offsets a day either side bracket any DST change: when the time is skipped (spring forward)
 * the reset happens at the jump; when it happens twice (fall back) the first one counts.
 */
function firstInstantAt(wall: number, timeZone: string): number {
  const offsets = [wall - DAY, wall + DAY].map((probe) => wallClock(probe, timeZone) - probe);
  let low = wall - Math.max(...offsets);
  let high = wall - Math.min(...offsets);
  if (wallClock(low, timeZone) >= wall) return low;
  while (high - low > MINUTE) {
    const middle = low + Math.floor((high - low) / MINUTE / 2) * MINUTE;
    if (wallClock(middle, timeZone) >= wall) high = middle;
    else low = middle;
  }
  return high;
}

/**
 * Day key (`YYYY-MM-DD`) of the governor day containing `now`: the local date whose reset
 * (local `dayResetTime` in `timeZone`) is the latest one at or before `now`.
 */
export function governorDay(now: Date, timeZone: string, dayResetTime: string): string {
  const reset = resetMinutes(dayResetTime) * MINUTE;
  const wallNow = wallClock(now.getTime(), timeZone);
  const localMidnight = wallNow - (((wallNow % DAY) + DAY) % DAY);
  const startsToday = firstInstantAt(localMidnight + reset, timeZone) <= now.getTime();
  return new Date(startsToday ? localMidnight : localMidnight - DAY).toISOString().slice(0, 10);
}
