import { randomUUID } from 'node:crypto';
import type { AgentEvent, SendErrorCode } from '@bridgefleet/contracts/agent.schema.js';
import type { DriverEvent } from './drivers/driver.js';

/**
 * Turns what happened into the events the control plane receives. Ids derived from the message
 * or bridge id make a repeat (a crash between outbox and ledger, BlueBubbles' doubled
 * new-message webhooks) the same event, which the control plane then processes once.
 */
export function sendOutcomeEvent(
  messageId: string,
  outcome:
    { state: 'sent'; providerId?: string } | { state: 'failed'; error: { code: SendErrorCode; message: string; retryable: boolean } },
  at: Date,
): AgentEvent {
  if (outcome.state === 'sent') {
    return {
      id: `${messageId}:sent`,
      type: 'message.sent',
      at: at.toISOString(),
      messageId,
      ...(outcome.providerId ? { providerId: outcome.providerId } : {}),
    };
  }
  return { id: `${messageId}:failed`, type: 'message.failed', at: at.toISOString(), messageId, error: outcome.error };
}

/** `messageIdOf` finds the message a bridge id belongs to; undefined when unknown. */
export function driverEventToAgentEvent(
  event: DriverEvent,
  messageIdOf: (providerId: string) => string | undefined,
): AgentEvent | undefined {
  const at = event.at.toISOString();
  switch (event.type) {
    case 'delivered':
    case 'read': {
      const messageId = event.messageId ?? messageIdOf(event.providerId);
      return {
        id: `${event.providerId}:${event.type}`,
        type: `message.${event.type}`,
        at,
        providerId: event.providerId,
        ...(messageId ? { messageId } : {}),
      };
    }
    case 'failed': {
      const messageId = event.messageId ?? messageIdOf(event.providerId);
      if (!messageId) return undefined;
      return {
        id: `${event.providerId}:failed`,
        type: 'message.failed',
        at,
        messageId,
        providerId: event.providerId,
        error: { code: event.code, message: event.message, retryable: false },
      };
    }
    case 'received':
      return {
        id: `${event.providerId}:received`,
        type: 'message.received',
        at,
        from: event.from,
        providerId: event.providerId,
        ...(event.body === undefined ? {} : { body: event.body }),
      };
    case 'deregistered':
      return { id: randomUUID(), type: 'line.deregistered', at, ...(event.detail ? { detail: event.detail } : {}) };
  }
}
