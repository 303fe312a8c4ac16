import { dayWindow, type DayWindow } from './day-window.js';
import type { GovernorPolicy } from './gate-types.js';
import { pacingGapMs } from './pacing.js';
import { hourOf } from './ratio.js';
import { warmupCaps, type VolumeCaps } from './warmup.js';

/**
 * Everything about a gate decision that depends only on the clock and the configuration,
 * not on counters: the governor day, today's warm-up caps, the pacing gap. decideGate and
 * the Redis script both start from this, so time-zone and warm-up arithmetic lives in one
 * place and the script only compares counters.
 */
export interface GatePlan {
  window: DayWindow;
  caps: VolumeCaps;
  gapMs: number;
  hour: number;
}

export function planGate(warmupStartedAt: Date, policy: GovernorPolicy, now: Date): GatePlan {
  return {
    window: dayWindow(now, policy.timeZone, policy.dayResetTime),
    caps: warmupCaps(policy.limits, warmupStartedAt, now, {
      timeZone: policy.timeZone,
      dayResetTime: policy.dayResetTime,
      floor: policy.tuning.warmupFloor,
    }),
    gapMs: pacingGapMs(policy.limits.minGapSeconds),
    hour: hourOf(now),
  };
}
