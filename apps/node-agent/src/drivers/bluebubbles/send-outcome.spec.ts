import { describe, expect, it } from 'vitest';
import { BlueBubblesAuthError, BlueBubblesHttpError, BlueBubblesTimeoutError, BlueBubblesUnreachableError } from './bluebubbles.errors.js';
import { outcomeForLookupError, outcomeForSendError, outcomeForSentMessage } from './send-outcome.js';

const http = (status: number, message: string, detail?: string, data?: unknown) =>
  new BlueBubblesHttpError(status, message, 'iMessage Error', detail, data, '/message/text');

describe('send outcomes', () => {
  it.each([
    ['timeout', new BlueBubblesTimeoutError('/message/text', 100), { state: 'unknown' }],
    ['500 Message Send Error (may have gone out)', http(500, 'Message Send Error'), { state: 'unknown' }],
    ['504 gateway timeout', http(504, 'Gateway Timeout'), { state: 'unknown' }],
    ['400 already queued (first attempt decides)', http(400, 'Message is already queued to be sent!'), { state: 'unknown' }],
    [
      'connection reset mid-request',
      new BlueBubblesUnreachableError('/message/text', false, new Error('socket hang up')),
      { state: 'unknown' },
    ],
    [
      'connection refused',
      new BlueBubblesUnreachableError('/message/text', true, new Error('ECONNREFUSED')),
      { state: 'failed', retryable: true },
    ],
    ['wrong password', new BlueBubblesAuthError('/message/text'), { state: 'failed', code: 'bridge_error', retryable: true }],
    [
      'helper down',
      http(500, 'iMessage Error', 'iMessage Private API Helper is not connected!'),
      { state: 'failed', code: 'messages_unavailable' },
    ],
    [
      'sent with error 22',
      http(500, 'Message sent with an error', undefined, { guid: 'G', isFromMe: true, dateCreated: 1, error: 22 }),
      { state: 'failed', code: 'no_imessage', retryable: false },
    ],
  ])('%s', (_name, error, outcome) => {
    expect(outcomeForSendError(error)).toMatchObject(outcome);
  });

  it('treats failures before anything was sent as retryable failures', () => {
    expect(outcomeForLookupError(new BlueBubblesTimeoutError('/chat/query', 100))).toMatchObject({ state: 'failed', retryable: true });
  });

  it('reads the sent message: guid, or its recorded error', () => {
    expect(outcomeForSentMessage({ guid: 'G', isFromMe: true, dateCreated: 1, error: 0 })).toEqual({ state: 'sent', providerId: 'G' });
    expect(outcomeForSentMessage({ guid: 'G', isFromMe: true, dateCreated: 1, error: 5 })).toMatchObject({
      state: 'failed',
      code: 'bridge_error',
    });
    expect(outcomeForSentMessage(undefined)).toEqual({ state: 'sent' });
  });

  it('never puts the password-carrying URL in an error', () => {
    expect(new BlueBubblesAuthError('/ping').message).toBe(
      'bluebubbles /ping answered 401: bluebubbles authentication failed (check the BlueBubbles server password)',
    );
  });
});
