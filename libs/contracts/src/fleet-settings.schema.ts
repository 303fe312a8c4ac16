import { z } from 'zod';
import { DEFAULT_LIMITS, Limits } from './limits.schema.js';

const TimeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as America/New_York');

export const HealthSettings = z.strictObject({
  pollIntervalSeconds: z.number().int().min(1).max(3_600),
  probeTimeoutMs: z.number().int().min(100).max(60_000),
  /** Consecutive missed probes before a node is unreachable. */
  missesToUnreachable: z.number().int().min(1).max(100),
  /** Consecutive good reports before a down or degraded node is healthy again. */
  goodToRecover: z.number().int().min(1).max(100),
  /** Pending work with nothing sent for this long means the node is stuck (degraded). */
  stuckAfterSeconds: z.number().int().min(10).max(86_400),
  /** How long an unreachable line's contacts wait before they may be reassigned. */
  tolerationSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400),
  /** Storm guard: fraction of the fleet turning unreachable within the window. */
  stormFraction: z.number().min(0.05).max(1),
  stormWindowSeconds: z.number().int().min(10).max(3_600),
});
export type HealthSettings = z.infer<typeof HealthSettings>;

export const RemediationSettings = z.strictObject({
  autoRemediation: z.boolean(),
  ladder: z
    .array(z.string().regex(/^[a-z0-9-]+$/))
    .min(1)
    .max(10),
  stepCooldownSeconds: z.number().int().min(0).max(86_400),
  maxRunsPerHour: z.number().int().min(0).max(100),
});
export type RemediationSettings = z.infer<typeof RemediationSettings>;

export const LineSettings = z.strictObject({
  /**
   * Drain pace: contacts moved off a draining (or long-unreachable) line per minute. Each move
   * shows the user a new sender, so it is spread out rather than done all at once.
   */
  drainContactsPerMinute: z.number().int().min(1).max(1_000),
});
export type LineSettings = z.infer<typeof LineSettings>;

export const FleetSettings = z.strictObject({
  timeZone: TimeZone,
  /** Local time (HH:MM) at which the governor day starts. */
  dayResetTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)'),
  limits: Limits,
  health: HealthSettings,
  remediation: RemediationSettings,
  lines: LineSettings,
});
export type FleetSettings = z.infer<typeof FleetSettings>;

/** PATCH body: any subset, nested objects merged field by field. */
export const FleetSettingsPatch = z.strictObject({
  timeZone: TimeZone.optional(),
  dayResetTime: FleetSettings.shape.dayResetTime.optional(),
  limits: Limits.partial().optional(),
  health: HealthSettings.partial().optional(),
  remediation: RemediationSettings.partial().optional(),
  lines: LineSettings.partial().optional(),
});
export type FleetSettingsPatch = z.infer<typeof FleetSettingsPatch>;

export const DEFAULT_FLEET_SETTINGS: FleetSettings = {
  timeZone: 'UTC',
  dayResetTime: '03:00',
  limits: DEFAULT_LIMITS,
  health: {
    pollIntervalSeconds: 10,
    probeTimeoutMs: 3_000,
    missesToUnreachable: 3,
    goodToRecover: 2,
    stuckAfterSeconds: 300,
    tolerationSeconds: 1_800,
    stormFraction: 0.5,
    stormWindowSeconds: 60,
  },
  remediation: {
    autoRemediation: true,
    ladder: ['restart-agent', 'restart-messages', 'restart-bluebubbles', 'reboot'],
    stepCooldownSeconds: 300,
    maxRunsPerHour: 4,
  },
  lines: { drainContactsPerMinute: 10 },
};

export function mergeFleetSettings(current: FleetSettings, patch: FleetSettingsPatch): FleetSettings {
  return {
    timeZone: patch.timeZone ?? current.timeZone,
    dayResetTime: patch.dayResetTime ?? current.dayResetTime,
    limits: { ...current.limits, ...definedOnly(patch.limits) },
    health: { ...current.health, ...definedOnly(patch.health) },
    remediation: { ...current.remediation, ...definedOnly(patch.remediation) },
    // Defaults first: a document stored before this section existed has none.
    lines: { ...DEFAULT_FLEET_SETTINGS.lines, ...current.lines, ...definedOnly(patch.lines) },
  };
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
