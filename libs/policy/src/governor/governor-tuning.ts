/**
 * Governor constants that are not per-line limits. Each figure says where it comes from.
 */
export interface GovernorTuning {
  /** Throttle a line whose first contacts reply less than this (Linq throttles below 15% over 7 days). */
  responseRateFloor: number;
  /** First contacts in the window before the response rate is judged (fewer is noise). */
  responseRateMinSample: number;
  responseRateWindowMs: number;
  /** Loop guard: at most this many sends to one contact within loopWindowMs (see loop-guard.ts). */
  loopMaxSends: number;
  loopWindowMs: number;
  /** Jitter added to the pacing gap: uniform in [0, gap × fraction). */
  pacingJitterFraction: number;
  /** Share of the full caps a line gets on warm-up day 0 (see warmup.ts). */
  warmupFloor: number;
  /**
   * Holds that end on an event rather than a time (an inbound reply, a health change) are
   * re-checked after this long; the dispatcher should also re-check on the event itself.
   */
  recheckMs: number;
}

export const DEFAULT_GOVERNOR_TUNING: GovernorTuning = {
  responseRateFloor: 0.15,
  responseRateMinSample: 20,
  responseRateWindowMs: 7 * 24 * 3_600_000,
  loopMaxSends: 10,
  loopWindowMs: 10 * 60_000,
  pacingJitterFraction: 0.5,
  warmupFloor: 0.1,
  recheckMs: 5 * 60_000,
};
