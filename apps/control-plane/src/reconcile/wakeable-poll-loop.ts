import type { Logger } from '@nestjs/common';

export interface WakeablePollLoopOptions {
  name: string;
  logger: Logger;
  pollMs: number;
  /** One pass; true when it saw a full batch, so more is likely waiting and the loop goes on at once. */
  pass: () => Promise<boolean>;
  /** The current backoff from a failing dependency: while above 0 the loop waits that long and ignores wake-ups. */
  backoffMs?: () => number;
  /** Called when a pass throws, before the loop waits (e.g. to grow the backoff). */
  onError?: (error: unknown) => void;
}

/**
 * A worker loop that polls every `pollMs` and wakes early when nudged (a commit in this
 * process has new work). Passes never overlap; stop() waits for the pass under way.
 */
export class WakeablePollLoop {
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private pendingWake = false;

  constructor(private readonly options: WakeablePollLoopOptions) {}

  start(): void {
    this.running = true;
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.done;
  }

  nudge(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  private async loop(): Promise<void> {
    const { name, logger, pollMs, pass, backoffMs = () => 0, onError } = this.options;
    while (this.running) {
      let more = false;
      this.pendingWake = false;
      try {
        more = await pass();
      } catch (error) {
        onError?.(error);
        logger.warn(`${name}: ${(error as Error).message}`);
      }
      if (!this.running) break;
      const backoff = backoffMs();
      if (more && backoff === 0) continue;
      await this.sleep(backoff || pollMs, backoff > 0);
    }
  }

  private sleep(ms: number, backingOff: boolean): Promise<void> {
    if (this.pendingWake && !backingOff) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      // A nudge cuts the wait short, except while backing off from a failing dependency; stop() always does.
      this.wake = () => {
        if (!backingOff || !this.running) finish();
      };
    });
  }
}
