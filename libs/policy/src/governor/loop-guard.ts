import type { GovernorTuning } from './governor-tuning.js';
import { rollingWindowReleaseAt } from './rolling-window.js';

/**
 * Per-pair loop guard: at most `loopMaxSends` (10) messages from a line to one contact in
 * any rolling `loopWindowMs` (10 minutes).
 *
 * Why this is a loop detector: the unanswered cap already stops a line after 3 messages
 * the contact has not answered, so reaching 10 sends to one contact within 10 minutes
 * needs the contact to answer nearly every message within a minute, ten times in a row:
 * a back-and-forth at machine speed. That is what two bots produce (our backend's
 * auto-reply talking to the contact's auto-responder or to another line of ours) and it
 * would otherwise run until the daily cap burns, with Apple watching a machine-paced pair.
 * A person chatting that fast for ten minutes is rare, and their message only waits a
 * few minutes; it is never dropped.
 */
export function loopGuardReleaseAt(
  pairSends: readonly Date[],
  tuning: Pick<GovernorTuning, 'loopMaxSends' | 'loopWindowMs'>,
  now: Date,
): Date | null {
  return rollingWindowReleaseAt(pairSends, tuning.loopMaxSends, tuning.loopWindowMs, now);
}
