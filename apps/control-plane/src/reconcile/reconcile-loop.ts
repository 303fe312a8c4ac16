import type { Logger } from '@nestjs/common';

/**
 * An idempotent reconcile pass (Kubernetes-controller style) run on a timer and on demand.
 * Passes in one process never overlap; a caller of run() gets the pass it started.
 */
export class ReconcileLoop<T> {
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<T> | undefined;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<T>,
    private readonly idle: T,
    private readonly logger: Logger,
  ) {}

  run(): Promise<T> {
    const next = (this.current ?? Promise.resolve(this.idle)).catch(() => this.idle).then(() => this.pass());
    this.current = next;
    void next
      .finally(() => {
        if (this.current === next) this.current = undefined;
      })
      .catch(() => undefined);
    return next;
  }

  /** Runs a pass every `intervalMs` after the previous one ended (the timer never keeps the process alive). */
  start(intervalMs: number): void {
    this.stopped = false;
    const loop = () => {
      this.run()
        .catch((error: unknown) => this.logger.warn(`${this.name} pass failed: ${(error as Error).message}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, intervalMs).unref();
        });
    };
    this.timer = setTimeout(loop, intervalMs).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current?.catch(() => undefined);
  }
}
