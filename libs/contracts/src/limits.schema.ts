import { z } from 'zod';

/**
 * Anti-spam limits of a line. Apple publishes nothing; the defaults are what
 * managed iMessage providers publish. Every field is optional on a line
 * (unset = the fleet default).
 */
export const Limits = z.strictObject({
  /** Outbound messages per governor day. */
  dailyCap: z.number().int().min(0).max(100_000),
  /** First messages to contacts with no conversation in 30 days, per governor day. */
  dailyNewContacts: z.number().int().min(0).max(10_000),
  /** Same, per rolling hour. */
  hourlyNewContacts: z.number().int().min(0).max(10_000),
  /** Maximum outbound:inbound ratio over the window (one team was banned at 4:1). */
  maxRatio: z.number().min(0.1).max(100),
  ratioWindowHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30),
  /** Outbound messages in the window before the ratio applies. */
  ratioMinSample: z.number().int().min(0).max(100_000),
  /** Minimum gap between two sends on the line (jitter is added on top). */
  minGapSeconds: z.number().min(0).max(3_600),
  /** Messages to one contact without a reply before sends to them stop. */
  maxUnanswered: z.number().int().min(1).max(1_000),
  /** Days over which a new line's caps ramp up to the full values. */
  warmupDays: z.number().int().min(0).max(90),
});
export type Limits = z.infer<typeof Limits>;

export const LimitOverrides = Limits.partial();
export type LimitOverrides = z.infer<typeof LimitOverrides>;

export const DEFAULT_LIMITS: Limits = {
  dailyCap: 200,
  dailyNewContacts: 50,
  hourlyNewContacts: 10,
  maxRatio: 2,
  ratioWindowHours: 24 * 7,
  ratioMinSample: 20,
  minGapSeconds: 20,
  maxUnanswered: 3,
  warmupDays: 14,
};

/** Values merged over the defaults: what the governor enforces for one line. */
export function effectiveLimits(fleet: Limits, overrides: LimitOverrides = {}): Limits {
  return { ...fleet, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) } as Limits;
}
