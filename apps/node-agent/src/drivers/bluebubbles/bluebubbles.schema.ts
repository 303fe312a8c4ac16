import { z } from 'zod';

/**
 * The parts of BlueBubbles payloads the driver relies on (v1.9.9). Loose objects:
 * upstream adds fields between versions and we must not break on them.
 */
const epochMs = z.number().nullish();

export const BlueBubblesChat = z.looseObject({
  guid: z.string(),
  participants: z.array(z.looseObject({ address: z.string() })).nullish(),
});
export type BlueBubblesChat = z.infer<typeof BlueBubblesChat>;

export const BlueBubblesMessage = z.looseObject({
  guid: z.string(),
  tempGuid: z.string().nullish(),
  text: z.string().nullish(),
  handle: z.looseObject({ address: z.string() }).nullish(),
  isFromMe: z.boolean(),
  dateCreated: z.number(),
  dateDelivered: epochMs,
  dateRead: epochMs,
  error: z.number().nullish(),
  chats: z.array(BlueBubblesChat).nullish(),
  /** Reconcile matches attachment parts by transfer name (chat.db keeps no tempGuid). */
  attachments: z.array(z.looseObject({ transferName: z.string().nullish(), totalBytes: z.number().nullish() })).nullish(),
});
export type BlueBubblesMessage = z.infer<typeof BlueBubblesMessage>;

export const BlueBubblesServerInfo = z.looseObject({
  os_version: z.string().nullish(),
  server_version: z.string().nullish(),
  private_api: z.boolean().nullish(),
  helper_connected: z.boolean().nullish(),
  detected_icloud: z.string().nullish(),
  detected_imessage: z.string().nullish(),
  macos_time_sync: z.number().nullish(),
});
export type BlueBubblesServerInfo = z.infer<typeof BlueBubblesServerInfo>;

export const BlueBubblesWebhook = z.looseObject({ id: z.union([z.number(), z.string()]).optional(), url: z.string() });

/** Webhook body `{type, data}`; only the types the driver acts on are narrowed further. */
export const BlueBubblesWebhookEvent = z.looseObject({ type: z.string(), data: z.unknown() });
export type BlueBubblesWebhookEvent = z.infer<typeof BlueBubblesWebhookEvent>;

export const AliasesRemovedData = z.looseObject({ aliases: z.array(z.unknown()).optional() }).nullish();
