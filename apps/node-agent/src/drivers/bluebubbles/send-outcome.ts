import type { DriverSendOutcome } from '../driver.js';
import { BlueBubblesAuthError, BlueBubblesHttpError, BlueBubblesTimeoutError, BlueBubblesUnreachableError } from './bluebubbles.errors.js';
import { BlueBubblesMessage } from './bluebubbles.schema.js';
import { sendErrorCodeFor } from './event-mapper.js';

/**
 * What a failed BlueBubbles call means for a send. The rule: only say `failed` when the
 * message certainly did not go out (or went out with an error recorded); anything else is
 * `unknown` and gets reconciled, because apple-script sends answer 500 "Message Send Error"
 * even when the message went out, and a timeout says nothing at all.
 */
export function outcomeForSendError(error: unknown): DriverSendOutcome {
  if (error instanceof BlueBubblesAuthError) {
    return {
      state: 'failed',
      code: 'bridge_error',
      message: 'bluebubbles authentication failed: check the server password',
      retryable: true,
    };
  }
  if (error instanceof BlueBubblesTimeoutError) return { state: 'unknown', message: error.message };
  if (error instanceof BlueBubblesUnreachableError) {
    return error.refused
      ? { state: 'failed', code: 'messages_unavailable', message: error.message, retryable: true }
      : { state: 'unknown', message: error.message };
  }
  if (error instanceof BlueBubblesHttpError) return outcomeForHttpError(error);
  return { state: 'unknown', message: (error as Error)?.message ?? String(error) };
}

/** Errors from calls made before anything was handed to Messages (chat lookups): safe to retry. */
export function outcomeForLookupError(error: unknown): DriverSendOutcome {
  const outcome = outcomeForSendError(error);
  if (outcome.state !== 'unknown') return outcome;
  return { state: 'failed', code: 'bridge_error', message: `before sending: ${outcome.message}`, retryable: true };
}

/** A message BlueBubbles says it sent: `error != 0` means Messages recorded a failure. */
export function outcomeForSentMessage(data: unknown): DriverSendOutcome {
  const message = BlueBubblesMessage.safeParse(data);
  if (!message.success) return { state: 'sent' };
  const code = message.data.error ?? 0;
  if (code !== 0) return failedWithMessageError(code);
  return { state: 'sent', providerId: message.data.guid };
}

function outcomeForHttpError(error: BlueBubblesHttpError): DriverSendOutcome {
  const recorded = BlueBubblesMessage.safeParse(error.data);
  if (recorded.success && (recorded.data.error ?? 0) !== 0) return failedWithMessageError(recorded.data.error ?? 0);
  if (error.mentions('Private API Helper is not connected')) {
    return { state: 'failed', code: 'messages_unavailable', message: error.message, retryable: true };
  }
  // tempGuid only guards while the first attempt is in flight: that attempt decides.
  if (error.status === 400 && error.mentions('already queued')) return { state: 'unknown', message: error.message };
  if (error.status === 400 || error.status === 404) {
    return { state: 'failed', code: 'bridge_error', message: error.message, retryable: false };
  }
  return { state: 'unknown', message: error.message };
}

function failedWithMessageError(code: number): DriverSendOutcome {
  const errorCode = sendErrorCodeFor(code);
  return errorCode === 'no_imessage'
    ? { state: 'failed', code: errorCode, message: 'recipient has no iMessage (error 22)', retryable: false }
    : { state: 'failed', code: errorCode, message: `Messages recorded error ${code} for the message`, retryable: true };
}
