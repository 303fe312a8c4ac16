import { z } from 'zod';
import { ContactHandle, E164, Labels, PageQuery, Reason, Uuid } from './common.schema.js';
import { Limits, LimitOverrides } from './limits.schema.js';

export const HealthStateName = z.enum(['healthy', 'degraded', 'unreachable', 'unknown']);
export const LineAdminStateName = z.enum(['provisioning', 'active', 'cordoned', 'draining', 'retired']);
export const LineReputationName = z.enum(['warming', 'good', 'throttled', 'flagged', 'banned']);

const HttpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2_048);

/** OpenSSH's fingerprint format: SHA256 digest, unpadded base64 (43 characters). */
export const HostKeyFingerprint = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must be an OpenSSH fingerprint SHA256:<43 base64 characters>')
  .meta({ example: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s' });

export const SshTarget = z.strictObject({
  host: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:-]+$/, 'must be a host name or IP address'),
  port: z.number().int().min(1).max(65_535),
  user: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z_][a-z0-9_.-]*$/i, 'must be a POSIX user name'),
  hostKeyFingerprint: HostKeyFingerprint,
});
export type SshTarget = z.infer<typeof SshTarget>;

const NodeName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must start with a letter or digit and use only letters, digits, ".", "_" and "-"');

export const CreateNodeBody = z.strictObject({
  name: NodeName,
  agentUrl: HttpUrl,
  agentToken: z.string().min(1).max(512),
  ssh: SshTarget.optional(),
  labels: Labels.optional(),
});
export type CreateNodeBody = z.infer<typeof CreateNodeBody>;

export const PatchNodeBody = z
  .strictObject({
    name: NodeName.optional(),
    agentUrl: HttpUrl.optional(),
    agentToken: z.string().min(1).max(512).optional(),
    /** null removes the SSH target (no remediation for this node). */
    ssh: SshTarget.nullable().optional(),
    labels: Labels.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'give at least one field to change');
export type PatchNodeBody = z.infer<typeof PatchNodeBody>;

export const NodeHealthView = z.object({
  state: HealthStateName,
  lastReport: z.unknown().nullable(),
  lastCheckedAt: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  changedAt: z.string().nullable(),
});

/** A node as the API shows it: never the agent token. */
export const NodeView = z.object({
  id: Uuid,
  name: z.string(),
  agentUrl: z.string(),
  ssh: SshTarget.nullable(),
  labels: z.record(z.string(), z.string()),
  health: NodeHealthView,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type NodeView = z.infer<typeof NodeView>;

const KeysetCursor = z
  .string()
  .max(200)
  .refine((cursor) => decodeCursor(cursor) !== undefined, 'must be a cursor from a previous page');

export const NodeListQuery = PageQuery.extend({ cursor: KeysetCursor.optional(), health: HealthStateName.optional() });
export type NodeListQuery = z.infer<typeof NodeListQuery>;

export const CreateLineBody = z.strictObject({
  phoneNumber: E164,
  appleId: z.email({ message: 'must be an email address (the Apple ID)' }).max(254),
  nodeId: Uuid,
  limits: LimitOverrides.optional(),
  /** Start as `provisioning` when the Apple ID is not signed in yet; activate later. */
  admin: z.enum(['active', 'provisioning']).optional(),
});
export type CreateLineBody = z.infer<typeof CreateLineBody>;

/** Limit overrides to change: a value sets it, null goes back to the fleet default. */
export const LimitOverridesPatch = z.strictObject(
  Object.fromEntries(Object.entries(Limits.shape).map(([key, schema]) => [key, schema.nullable().optional()])) as {
    [K in keyof Limits]: z.ZodOptional<z.ZodNullable<(typeof Limits.shape)[K]>>;
  },
);
export type LimitOverridesPatch = z.infer<typeof LimitOverridesPatch>;

export const PatchLineBody = z.strictObject({ limits: LimitOverridesPatch });
export type PatchLineBody = z.infer<typeof PatchLineBody>;

export const LineUsageView = z.object({
  /** Governor day key (YYYY-MM-DD in the fleet time zone, after the day-reset time). */
  day: z.string(),
  sent: z.number().int(),
  cap: z.number().int(),
  newContacts: z.number().int(),
  newContactCap: z.number().int(),
  inbound: z.number().int(),
  /** Outbound per inbound over the governor's ratio window (ratioWindowHours); null before any inbound. */
  ratio: z.number().nullable(),
  remaining: z.number().int(),
});

export const LineView = z.object({
  id: Uuid,
  phoneNumber: z.string(),
  appleId: z.string(),
  nodeId: Uuid,
  admin: LineAdminStateName,
  reputation: LineReputationName,
  reputationReason: z.string().nullable(),
  health: HealthStateName,
  assignable: z.boolean(),
  sendable: z.boolean(),
  limits: LimitOverrides,
  effectiveLimits: Limits,
  usage: LineUsageView,
  contacts: z.number().int(),
  /** Outbound messages on this line waiting to go out or mid-send (assigned, sending). */
  waiting: z.number().int(),
  warmupStartedAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type LineView = z.infer<typeof LineView>;

export const LineListQuery = PageQuery.extend({
  cursor: KeysetCursor.optional(),
  admin: LineAdminStateName.optional(),
  reputation: LineReputationName.optional(),
  health: HealthStateName.optional(),
  nodeId: Uuid.optional(),
});
export type LineListQuery = z.infer<typeof LineListQuery>;

export const OptionalReasonBody = z.strictObject({ reason: Reason.optional() });
export type OptionalReasonBody = z.infer<typeof OptionalReasonBody>;

export const ReasonBody = z.strictObject({ reason: Reason });
export type ReasonBody = z.infer<typeof ReasonBody>;

export const ContactParams = z.strictObject({ handle: ContactHandle });

export const ContactView = z.object({
  handle: z.string(),
  lineId: Uuid.nullable(),
  assignedAt: z.string().nullable(),
  lastInboundAt: z.string().nullable(),
  lastOutboundAt: z.string().nullable(),
});
export type ContactView = z.infer<typeof ContactView>;

export const PinContactBody = z.strictObject({ lineId: Uuid });
export type PinContactBody = z.infer<typeof PinContactBody>;

/** Opaque keyset cursor over (createdAt, id): lists stay stable while rows are added. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(`${position.createdAt.toISOString()}|${position.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): KeysetPosition | undefined {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !Uuid.safeParse(id).success) return undefined;
  return { createdAt, id };
}
