/**
 * Whether a line may take one more new contact now (new-contact caps). Bound to
 * the governor; a separate port so routing does not depend on how it counts.
 */
export abstract class NewContactHeadroom {
  /** `line`: the row as the caller just read it, which spares reading it again. */
  abstract hasHeadroom(lineId: string, now: Date, line?: HeadroomLine): Promise<boolean>;
}

/** What the new-contact cap depends on: the line's state, overrides and warm-up start, and its node's health. */
export interface HeadroomLine {
  id: string;
  admin: string;
  reputation: string;
  nodeHealth: string;
  limits: unknown;
  warmupStartedAt: Date;
}

/** Until a governor is bound: every line has headroom. */
export class UnlimitedHeadroom extends NewContactHeadroom {
  async hasHeadroom(): Promise<boolean> {
    return true;
  }
}
