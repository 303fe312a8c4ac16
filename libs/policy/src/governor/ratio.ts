import type { HourBucket } from './gate-types.js';

export const HOUR_MS = 3_600_000;

export interface RatioLimits {
  maxRatio: number;
  ratioWindowHours: number;
  ratioMinSample: number;
}

export function hourOf(instant: Date): number {
  return Math.floor(instant.getTime() / HOUR_MS);
}

/**
 * The ratio window is the last `ratioWindowHours` hour buckets, the current one included
 * (so an event counts for between W-1 and W hours). Hourly buckets, not one entry per
 * message: a 7-day window costs at most 2 × 168 small hash fields per line.
 */
export function bucketsInWindow(buckets: readonly HourBucket[], windowHours: number, now: Date): HourBucket[] {
  const oldest = hourOf(now) - windowHours + 1;
  return buckets.filter((bucket) => bucket.hour >= oldest).sort((a, b) => a.hour - b.hour);
}

export function windowTotals(buckets: readonly HourBucket[]): { sent: number; inbound: number } {
  return buckets.reduce((sum, bucket) => ({ sent: sum.sent + bucket.sent, inbound: sum.inbound + bucket.inbound }), {
    sent: 0,
    inbound: 0,
  });
}

/**
 * Over the ratio: the window already holds the minimum sample of outbound messages and one
 * more send would put outbound above maxRatio × inbound. Judging the send about to happen
 * (not the current ratio) keeps outbound ≤ maxRatio × inbound exactly once the sample is met.
 */
export function overRatio(sent: number, inbound: number, limits: RatioLimits): boolean {
  return sent >= limits.ratioMinSample && sent + 1 > limits.maxRatio * inbound;
}

/**
 * Null when a non-reply send may go, else the earliest instant it may without any new
 * inbound: when enough old buckets have slid out of the window. An inbound message can
 * release the line earlier; the dispatcher re-checks the line when one arrives.
 * With no such instant (a minimum sample of 0 and no inbound at all) it re-checks later.
 */
export function ratioReleaseAt(buckets: readonly HourBucket[], limits: RatioLimits, now: Date, recheckMs: number): Date | null {
  const window = bucketsInWindow(buckets, limits.ratioWindowHours, now);
  let { sent, inbound } = windowTotals(window);
  if (!overRatio(sent, inbound, limits)) return null;
  for (const bucket of window) {
    sent -= bucket.sent;
    inbound -= bucket.inbound;
    if (!overRatio(sent, inbound, limits)) return new Date((bucket.hour + limits.ratioWindowHours) * HOUR_MS);
  }
  return new Date(now.getTime() + recheckMs);
}

/** Outbound per inbound over the window, for display; null with no inbound yet. */
export function displayRatio(sent: number, inbound: number): number | null {
  return inbound === 0 ? null : Math.round((sent / inbound) * 100) / 100;
}
