import { z } from 'zod';

/**
 * Contracts between the control plane and the node agent on each Mac.
 * The health report extends the bridge health schema every iMessage bridge
 * operator ends up writing (bridgeId, status, messagesAppRunning, …).
 */
export const AgentDriverName = z.enum(['bluebubbles', 'applescript', 'sim']);
export type AgentDriverName = z.infer<typeof AgentDriverName>;

export const DriverSignals = z
  .object({
    /** BlueBubbles private API helper connected. */
    helperConnected: z.boolean().optional(),
    /** Signed in to iCloud / iMessage (empty strings upstream mean signed out). */
    icloudSignedIn: z.boolean().optional(),
    imessageSignedIn: z.boolean().optional(),
    /** Full Disk Access (chat.db readable). */
    diskAccess: z.boolean().optional(),
    /** Mac clock minus the agent's reference clock, seconds. */
    clockDriftSeconds: z.number().optional(),
    /** The bridge itself (BlueBubbles server) answers. */
    bridgeReachable: z.boolean().optional(),
    /** Sim only: the ban model has banned this line. */
    banned: z.boolean().optional(),
  })
  .catchall(z.union([z.boolean(), z.number(), z.string(), z.null()]));
export type DriverSignals = z.infer<typeof DriverSignals>;

export const AgentHealthReport = z.object({
  bridgeId: z.string().min(1).max(200),
  status: z.enum(['healthy', 'unhealthy']),
  messagesAppRunning: z.boolean(),
  lastMessageSentAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /** Sends accepted but not finished. */
  pendingCommands: z.number().int().min(0),
  /** Seconds since the agent started. */
  uptime: z.number().min(0),
  driver: AgentDriverName,
  version: z.string().max(50),
  signals: DriverSignals.default({}),
});
export type AgentHealthReport = z.infer<typeof AgentHealthReport>;

export const Attachment = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2_048),
  filename: z.string().min(1).max(255).optional(),
  mimeType: z
    .string()
    .regex(/^[\w.+-]+\/[\w.+-]+$/)
    .optional(),
});
export type Attachment = z.infer<typeof Attachment>;

export const SendCommand = z
  .strictObject({
    messageId: z.uuid(),
    to: z.string().min(3).max(254),
    body: z.string().min(1).max(20_000).optional(),
    attachments: z.array(Attachment).max(10).optional(),
  })
  .refine((command) => command.body !== undefined || (command.attachments?.length ?? 0) > 0, {
    message: 'a send needs a body or at least one attachment',
    path: ['body'],
  });
export type SendCommand = z.infer<typeof SendCommand>;

export const SendState = z.enum(['sent', 'failed', 'pending']);
export type SendState = z.infer<typeof SendState>;

export const SendErrorCode = z.enum(['no_imessage', 'banned', 'messages_unavailable', 'timeout', 'bridge_error', 'invalid_recipient']);
export type SendErrorCode = z.infer<typeof SendErrorCode>;

export const SendResult = z.object({
  messageId: z.uuid(),
  state: SendState,
  providerId: z.string().optional(),
  error: z.object({ code: SendErrorCode, message: z.string(), retryable: z.boolean() }).optional(),
});
export type SendResult = z.infer<typeof SendResult>;

export const AvailabilityResult = z.object({ address: z.string(), imessage: z.boolean() });

const EventBase = z.object({
  /** Unique per event; the control plane processes each id once. */
  id: z.string().min(1).max(200),
  at: z.iso.datetime({ offset: true }),
});

export const AgentEvent = z.discriminatedUnion('type', [
  EventBase.extend({ type: z.literal('message.sent'), messageId: z.uuid(), providerId: z.string().optional() }),
  EventBase.extend({ type: z.literal('message.delivered'), messageId: z.uuid().optional(), providerId: z.string().optional() }),
  EventBase.extend({ type: z.literal('message.read'), messageId: z.uuid().optional(), providerId: z.string().optional() }),
  EventBase.extend({
    type: z.literal('message.failed'),
    messageId: z.uuid(),
    providerId: z.string().optional(),
    error: z.object({ code: SendErrorCode, message: z.string(), retryable: z.boolean() }),
  }),
  EventBase.extend({
    type: z.literal('message.received'),
    from: z.string().min(3).max(254),
    body: z.string().max(20_000).optional(),
    providerId: z.string().optional(),
    attachments: z.array(z.object({ filename: z.string().optional(), mimeType: z.string().optional() })).optional(),
  }),
  /** The bridge reported the Apple ID's addresses were deregistered (imessage-aliases-removed). */
  EventBase.extend({ type: z.literal('line.deregistered'), detail: z.string().optional() }),
]);
export type AgentEvent = z.infer<typeof AgentEvent>;

export const AgentEventBatch = z.strictObject({ events: z.array(AgentEvent).min(1).max(500) });
export type AgentEventBatch = z.infer<typeof AgentEventBatch>;

/**
 * Agent → control plane requests carry `X-Bridgefleet-Node: <nodeId>`,
 * `X-Bridgefleet-Timestamp: <unix seconds>` and
 * `X-Bridgefleet-Signature: v1=<hex HMAC-SHA256(agentToken, "<timestamp>.<raw body>")>`.
 */
export const AGENT_SIGNATURE_HEADERS = {
  node: 'x-bridgefleet-node',
  timestamp: 'x-bridgefleet-timestamp',
  signature: 'x-bridgefleet-signature',
} as const;
/** Signatures older or newer than this are refused (replay protection). */
export const AGENT_SIGNATURE_TOLERANCE_SECONDS = 300;
