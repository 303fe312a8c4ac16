import type { SendErrorCode } from '@bridgefleet/contracts/agent.schema.js';
import type { DriverEvent } from '../driver.js';
import { messageIdOfTempGuid } from './send-parts.js';
import { AliasesRemovedData, BlueBubblesMessage, type BlueBubblesWebhookEvent } from './bluebubbles.schema.js';

/** A driver event with the key that makes it unique across webhooks and polls (none = always emit). */
export interface KeyedDriverEvent {
  key?: string;
  event: DriverEvent;
}

/** Which control-plane message a BlueBubbles guid belongs to, if known. */
export type MessageIdLookup = (guid: string) => string | undefined;

/** Error 22 is what Messages records for recipients without iMessage. */
const NO_IMESSAGE_ERROR = 22;

export function sendErrorCodeFor(error: number): SendErrorCode {
  return error === NO_IMESSAGE_ERROR ? 'no_imessage' : 'bridge_error';
}

/** The events a message's current state implies; the dedupe keys make repeats harmless. */
export function eventsForMessage(message: BlueBubblesMessage, messageIdFor: MessageIdLookup): KeyedDriverEvent[] {
  const providerId = message.guid;
  if (!message.isFromMe) {
    const from = message.handle?.address;
    if (!from) return [];
    return [
      {
        key: `received:${providerId}`,
        event: { type: 'received', from, body: message.text ?? undefined, providerId, at: new Date(message.dateCreated) },
      },
    ];
  }
  // A part of a message with attachments carries `<messageId>:a<n>`: events name the message.
  const tempGuid = message.tempGuid ?? messageIdFor(providerId);
  const messageId = tempGuid === undefined ? undefined : messageIdOfTempGuid(tempGuid);
  const events: KeyedDriverEvent[] = [];
  if (message.error) {
    events.push({ key: `failed:${providerId}`, event: failedEvent(message, messageId) });
    return events;
  }
  if (message.dateDelivered) {
    events.push({
      key: `delivered:${providerId}`,
      event: { type: 'delivered', providerId, messageId, at: new Date(message.dateDelivered) },
    });
  }
  if (message.dateRead) {
    events.push({ key: `read:${providerId}`, event: { type: 'read', providerId, messageId, at: new Date(message.dateRead) } });
  }
  return events;
}

/** Maps one BlueBubbles webhook to driver events. Types we do not act on map to nothing. */
export function eventsForWebhook(webhook: BlueBubblesWebhookEvent, messageIdFor: MessageIdLookup, now: Date): KeyedDriverEvent[] {
  switch (webhook.type) {
    case 'new-message':
    case 'updated-message':
    case 'message-send-error': {
      const message = BlueBubblesMessage.safeParse(webhook.data);
      return message.success ? eventsForMessage(message.data, messageIdFor) : [];
    }
    case 'imessage-aliases-removed': {
      const data = AliasesRemovedData.safeParse(webhook.data);
      const aliases = data.success ? (data.data?.aliases ?? []).map(String) : [];
      return [{ event: { type: 'deregistered', detail: aliasDetail(aliases), at: now } }];
    }
    default:
      return [];
  }
}

function failedEvent(message: BlueBubblesMessage, messageId: string | undefined): DriverEvent {
  const error = message.error ?? 0;
  return {
    type: 'failed',
    providerId: message.guid,
    messageId,
    code: sendErrorCodeFor(error),
    message: error === NO_IMESSAGE_ERROR ? 'recipient has no iMessage (error 22)' : `Messages reported error ${error}`,
    at: new Date(message.dateCreated),
  };
}

function aliasDetail(aliases: string[]): string {
  return aliases.length > 0 ? `iMessage aliases removed: ${aliases.join(', ')}` : 'iMessage aliases removed';
}
