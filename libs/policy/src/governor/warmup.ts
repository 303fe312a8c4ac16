import type { Limits } from '@bridgefleet/contracts/limits.schema.js';
import { governorDaysBetween } from './day-window.js';

/** The three volume caps the warm-up scales; ratio, pacing and unanswered hold from day 0. */
export interface VolumeCaps {
  dailyCap: number;
  dailyNewContacts: number;
  hourlyNewContacts: number;
}

/**
 * Share of the full caps on warm-up day `day` (0 = the governor day the warm-up started):
 * a linear ramp from `floor` on day 0 to 100% on day `warmupDays`, stepping once per
 * governor day. Why this curve: managed providers publish "start at a few dozen a day and
 * grow steadily over about two weeks"; a straight line is the simplest curve that matches,
 * and stepping per governor day (not per hour) keeps a day's cap fixed, so ops see one
 * number for the whole day and `remaining` never jumps mid-day.
 */
export function warmupFraction(day: number, warmupDays: number, floor: number): number {
  if (warmupDays <= 0 || day >= warmupDays) return 1;
  if (day <= 0) return floor;
  return floor + ((1 - floor) * day) / warmupDays;
}

/**
 * Caps in force today. A scaled cap never drops below 1 (a warming line must be able to
 * send at all), but a cap configured as 0 stays 0 (ops switched that kind of send off).
 */
export function warmupCaps(
  limits: Limits,
  warmupStartedAt: Date,
  now: Date,
  calendar: { timeZone: string; dayResetTime: string; floor: number },
): VolumeCaps {
  const day = governorDaysBetween(warmupStartedAt, now, calendar.timeZone, calendar.dayResetTime);
  const fraction = warmupFraction(day, limits.warmupDays, calendar.floor);
  // The 1e-9 keeps e.g. 200 × 0.4 from flooring to 79 through float error.
  const scale = (cap: number) => (cap === 0 ? 0 : Math.max(1, Math.floor(cap * fraction + 1e-9)));
  return {
    dailyCap: scale(limits.dailyCap),
    dailyNewContacts: scale(limits.dailyNewContacts),
    hourlyNewContacts: scale(limits.hourlyNewContacts),
  };
}
