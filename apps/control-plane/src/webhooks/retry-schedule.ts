/** Pure decisions of the webhook sender: how to read a reply and when to try again. */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** "5s,30s,2m" → [5000, 30000, 120000]: the delays before the 2nd, 3rd, 4th… try. */
export function parseRetrySchedule(text: string): number[] {
  return text.split(',').map((part) => {
    const match = /^\s*(\d+)(ms|s|m|h)\s*$/.exec(part);
    if (!match) throw new Error(`bad retry delay "${part}"`);
    return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  });
}

/** What one try produced: an HTTP status, or no answer at all (network error, timeout). */
export type TryResult = { statusCode: number } | { error: string };

export type Verdict =
  | { status: 'succeeded' }
  | { status: 'pending'; retryInMs: number }
  | { status: 'dead' }
  /** A reply that says retrying will not help (4xx other than 408/429). */
  | { status: 'failed' }
  /** 410 Gone: the receiver asks us to stop; the endpoint is disabled. */
  | { status: 'gone' };

const RETRYABLE_4XX = new Set([408, 425, 429]);

/**
 * Decides after try number `attempts` (1-based). Network errors, timeouts, 5xx and
 * 408/425/429 are retried after schedule[attempts-1] with full jitter (uniform in
 * [0, delay]) so receivers recovering from an outage are not hit by a synchronized
 * wave; after the last delay is used the delivery is dead-lettered.
 */
export function judgeTry(result: TryResult, attempts: number, schedule: readonly number[], random: () => number = Math.random): Verdict {
  if ('statusCode' in result) {
    const code = result.statusCode;
    if (code >= 200 && code < 300) return { status: 'succeeded' };
    if (code === 410) return { status: 'gone' };
    if (code < 500 && !RETRYABLE_4XX.has(code)) return { status: 'failed' };
  }
  const delay = schedule[attempts - 1];
  if (delay === undefined) return { status: 'dead' };
  return { status: 'pending', retryInMs: Math.floor(random() * delay) };
}
