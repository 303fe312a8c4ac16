/**
 * Pacing: a minimum gap between two sends on a line, plus jitter drawn at each send so the
 * line does not tick like a metronome (a fixed interval is the easiest bot signature to spot).
 * The jitter is drawn once per send and stored, so every worker asking before the next
 * send sees the same ready time.
 */
export function pacingReadyAt(lastSentAt: Date | null, gapMs: number, jitterMs: number): Date | null {
  return lastSentAt === null ? null : new Date(lastSentAt.getTime() + gapMs + jitterMs);
}

export function pacingGapMs(minGapSeconds: number): number {
  return Math.round(minGapSeconds * 1000);
}

/** Uniform in [0, gap × fraction), whole milliseconds, from an injected random source in [0, 1). */
export function drawJitterMs(gapMs: number, fraction: number, random: () => number): number {
  return Math.floor(random() * Math.floor(gapMs * fraction));
}
