import { z } from 'zod';
import { HttpUrl, IsoDateTime, Page } from './common.schema.js';
import { Attachment, MessageStatus } from './messages.schema.js';

export const WEBHOOK_EVENT_TYPES = [
  'message.status',
  'message.received',
  'contact.reassigned',
  'line.state',
  'node.health',
  'remediation.finished',
] as const;
export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

export const CreateWebhookBody = z.strictObject({
  url: HttpUrl,
  events: z
    .union([z.tuple([z.literal('*')]), z.array(WebhookEventType).min(1)])
    .refine((events) => new Set(events).size === events.length, 'events must not repeat')
    .meta({ description: "Event types to receive, or ['*'] for all (including types added later)." }),
});
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

export const WebhookView = z.object({
  id: z.uuid(),
  url: z.string(),
  events: z.array(z.string()),
  disabledAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
});
export type WebhookView = z.infer<typeof WebhookView>;

export const CreatedWebhook = WebhookView.extend({
  secret: z.string().meta({ description: 'whsec_<base64>: the Standard Webhooks signing secret. Shown only in this response.' }),
});

export const WebhookDeliveryStatus = z.enum(['pending', 'succeeded', 'failed', 'dead']);
export type WebhookDeliveryStatus = z.infer<typeof WebhookDeliveryStatus>;

export const WebhookDeliveryView = z.object({
  id: z.uuid().meta({ description: 'Also the webhook-id header: stable across retries and replays.' }),
  endpointId: z.uuid(),
  type: z.string(),
  status: WebhookDeliveryStatus,
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type WebhookDeliveryView = z.infer<typeof WebhookDeliveryView>;
export const WebhookDeliveryPage = Page(WebhookDeliveryView);

export const DeliveryListQuery = z.strictObject({
  status: WebhookDeliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
export type DeliveryListQuery = z.infer<typeof DeliveryListQuery>;

/** The body of every webhook: `{type, timestamp, data}` (Standard Webhooks payload shape). */
export const WebhookEnvelope = z.object({
  type: z.string(),
  timestamp: IsoDateTime,
  data: z.record(z.string(), z.unknown()),
});
export type WebhookEnvelope = z.infer<typeof WebhookEnvelope>;

/** `message.status`: any status change of an outbound message. */
export const MessageStatusData = z.object({
  messageId: z.uuid(),
  status: MessageStatus,
  previousStatus: MessageStatus.nullable(),
  to: z.string(),
  lineId: z.uuid().nullable(),
  at: IsoDateTime,
  detail: z.string().optional(),
  error: z.string().nullable(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable(),
});
export type MessageStatusData = z.infer<typeof MessageStatusData>;

/** `message.received`: a contact texted one of our lines. */
export const MessageReceivedData = z.object({
  messageId: z.uuid(),
  from: z.string(),
  lineId: z.uuid(),
  body: z.string().nullable(),
  attachments: z.array(Attachment),
  receivedAt: IsoDateTime,
});
export type MessageReceivedData = z.infer<typeof MessageReceivedData>;

/** Standard Webhooks header names. */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;
