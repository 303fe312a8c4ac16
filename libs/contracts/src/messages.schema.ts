import { z } from 'zod';
import { ContactHandle, HttpUrl, IsoDateTime, Page } from './common.schema.js';

export const MESSAGE_STATUSES = [
  'queued',
  'assigned',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
  'undeliverable',
  'expired',
  'canceled',
  'received',
] as const;
export const MessageStatus = z.enum(MESSAGE_STATUSES);
export type MessageStatus = z.infer<typeof MessageStatus>;

/** Statuses from which a message can no longer move. */
export const TERMINAL_STATUSES: readonly MessageStatus[] = ['failed', 'undeliverable', 'expired', 'canceled', 'received'];
/** A message may be canceled only before the dispatcher starts sending it. */
export const CANCELABLE_STATUSES: readonly MessageStatus[] = ['queued', 'assigned'];

export const MessageDirection = z.enum(['outbound', 'inbound']);
export type MessageDirection = z.infer<typeof MessageDirection>;

export const Attachment = z.strictObject({
  url: HttpUrl,
  filename: z.string().trim().min(1).max(255).optional(),
  mimeType: z
    .string()
    .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type such as image/png')
    .max(127)
    .optional(),
});
export type Attachment = z.infer<typeof Attachment>;

// Metadata is echoed back in views and webhooks; the bounds keep a row and a webhook small.
const METADATA_MAX_KEYS = 50;
const METADATA_MAX_BYTES = 8_192;
export const Metadata = z
  .record(z.string().min(1).max(64), z.union([z.string().max(1_000), z.number().finite(), z.boolean()]))
  .refine((value) => Object.keys(value).length <= METADATA_MAX_KEYS, `at most ${METADATA_MAX_KEYS} metadata keys`)
  .refine(
    (value) => Buffer.byteLength(JSON.stringify(value)) <= METADATA_MAX_BYTES,
    `metadata must be at most ${METADATA_MAX_BYTES} bytes`,
  );
export type Metadata = z.infer<typeof Metadata>;

const SEVEN_DAYS = 7 * 24 * 3600;

export const SendMessageBody = z
  .strictObject({
    to: ContactHandle,
    body: z.string().min(1).max(20_000).optional(),
    attachments: z.array(Attachment).max(10).optional(),
    validForSeconds: z
      .number()
      .int()
      .min(10)
      .max(SEVEN_DAYS)
      .optional()
      .meta({ description: 'After this many seconds unsent, the message becomes expired (so the backend can fall back to SMS).' }),
    metadata: Metadata.optional(),
  })
  .refine((value) => value.body !== undefined || (value.attachments?.length ?? 0) > 0, {
    message: 'a message needs a body or at least one attachment',
    path: ['body'],
  });
export type SendMessageBody = z.infer<typeof SendMessageBody>;

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
/** Printable ASCII (space allowed inside), 1-255 characters. */
export const IdempotencyKey = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/, 'must be 1-255 printable ASCII characters');

export const AcceptedMessage = z.object({
  id: z.uuid(),
  status: MessageStatus,
  to: z.string(),
  lineId: z.uuid().nullable(),
  createdAt: IsoDateTime,
});
export type AcceptedMessage = z.infer<typeof AcceptedMessage>;

export const StatusHistoryEntry = z.object({
  status: MessageStatus,
  at: IsoDateTime,
  detail: z.string().optional(),
});

export const MessageView = z.object({
  id: z.uuid(),
  direction: MessageDirection,
  to: z.string().meta({ description: 'The contact handle (for inbound messages: the sender).' }),
  lineId: z.uuid().nullable(),
  status: MessageStatus,
  body: z.string().nullable(),
  attachments: z.array(z.object({ url: z.string(), filename: z.string().optional(), mimeType: z.string().optional() })),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  validUntil: IsoDateTime.nullable(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  history: z.array(StatusHistoryEntry),
});
export type MessageView = z.infer<typeof MessageView>;

export const MessageListQuery = z.strictObject({
  to: ContactHandle.optional(),
  lineId: z.uuid().optional(),
  status: MessageStatus.optional(),
  direction: MessageDirection.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
export type MessageListQuery = z.infer<typeof MessageListQuery>;

export const MessagePage = Page(MessageView.omit({ history: true }));

export const MessageIdParams = z.strictObject({ id: z.uuid() });
