/**
 * Whether a line may take one more new contact now (new-contact caps). Bound to
 * the governor; a separate port so routing does not depend on how it counts.
 */
export abstract class NewContactHeadroom {
  abstract hasHeadroom(lineId: string, now: Date): Promise<boolean>;
}

/** Until a governor is bound: every line has headroom. */
export class UnlimitedHeadroom extends NewContactHeadroom {
  async hasHeadroom(): Promise<boolean> {
    return true;
  }
}
