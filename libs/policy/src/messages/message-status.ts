/**
 * Outbound statuses only move forward: queued → assigned → sending → sent →
 * delivered → read, or to a terminal failure. Agent events can arrive late or
 * twice (webhook plus poll), so a "delivered" after "read" is ignored, not applied.
 */
export const OUTBOUND_PROGRESS = ['queued', 'assigned', 'sending', 'sent', 'delivered', 'read'] as const;
export const TERMINAL_FAILURES = ['failed', 'undeliverable', 'expired', 'canceled'] as const;

export type OutboundStatus = (typeof OUTBOUND_PROGRESS)[number] | (typeof TERMINAL_FAILURES)[number];

const rank = new Map<string, number>(OUTBOUND_PROGRESS.map((status, index) => [status, index]));

export function isTerminalFailure(status: string): boolean {
  return (TERMINAL_FAILURES as readonly string[]).includes(status);
}

/** True when moving from `from` to `to` is progress (never backwards, never out of a terminal state). */
export function canAdvance(from: string, to: string): boolean {
  if (from === to) return false;
  if (isTerminalFailure(from)) return false;
  const fromRank = rank.get(from);
  if (fromRank === undefined) return false;
  if (isTerminalFailure(to)) {
    // Once Apple has the message it can still fail (e.g. error 22 after hand-off),
    // but it cannot expire or be canceled any more.
    if (to === 'failed' || to === 'undeliverable') return fromRank <= rank.get('sent')!;
    return fromRank < rank.get('sending')!;
  }
  const toRank = rank.get(to);
  return toRank !== undefined && toRank > fromRank;
}

/** Statuses from which `to` may be reached; used in compare-and-set updates. */
export function statusesBefore(to: string): OutboundStatus[] {
  return [...OUTBOUND_PROGRESS, ...TERMINAL_FAILURES].filter((from) => canAdvance(from, to));
}
