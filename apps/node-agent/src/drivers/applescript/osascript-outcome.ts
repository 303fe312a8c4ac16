import type { DriverSendOutcome } from '../driver.js';
import type { ProcessResult } from './process-runner.js';

/**
 * What an osascript run means for a send. Only errors raised before Messages accepted the
 * message count as `failed`; a timeout or an unfamiliar error might have sent it, so those
 * are `unknown` and must not be retried blindly.
 */
export function outcomeForSendRun(result: ProcessResult, timeoutMs: number): DriverSendOutcome {
  if (result.timedOut) return { state: 'unknown', message: `osascript did not finish within ${timeoutMs} ms` };
  if (result.exitCode === 0) return { state: 'sent' };
  const stderr = result.stderr.trim();
  if (result.exitCode === null) {
    return { state: 'failed', code: 'messages_unavailable', message: `osascript could not run: ${stderr}`, retryable: true };
  }
  const errorNumber = /\((-?\d+)\)\s*$/.exec(stderr)?.[1];
  switch (errorNumber) {
    case '-1743':
      return failed('messages_unavailable', 'not allowed to control Messages (grant Automation permission)', stderr, true);
    case '-600':
      return failed('messages_unavailable', 'Messages is not running and could not be started', stderr, true);
    case '-1728':
      // "Can't get account/participant": the lookup failed, nothing was handed to Messages
      return /account/i.test(stderr)
        ? failed('messages_unavailable', 'no iMessage account in Messages', stderr, true)
        : failed('invalid_recipient', 'Messages does not know this recipient', stderr, false);
    default:
      return { state: 'unknown', message: `osascript failed (${errorNumber ?? `exit ${result.exitCode}`}): ${stderr}` };
  }
}

function failed(code: 'messages_unavailable' | 'invalid_recipient', why: string, stderr: string, retryable: boolean): DriverSendOutcome {
  return { state: 'failed', code, message: `${why}: ${stderr}`, retryable };
}
