/**
 * Which lines may take one more new contact now (new-contact caps, throttling).
 * Bound to the governor; a separate port so routing does not depend on how
 * the governor counts.
 */
export abstract class NewContactHeadroom {
  abstract linesWithHeadroom(lineIds: string[], now: Date): Promise<Set<string>>;
}

/** Until a governor is bound: every line has headroom. */
export class UnlimitedHeadroom extends NewContactHeadroom {
  async linesWithHeadroom(lineIds: string[]): Promise<Set<string>> {
    return new Set(lineIds);
  }
}
