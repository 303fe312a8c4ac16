import type { TimerHandle, Timers } from './clock.js';

interface Scheduled {
  at: number;
  seq: number;
  callback: () => void;
}

/** Timers a test advances by hand; `advance` runs due callbacks in order and lets promises settle. */
export class ManualTimers implements Timers {
  private current: number;
  private seq = 0;
  private readonly queue = new Map<number, Scheduled>();

  constructor(start = Date.UTC(2026, 0, 5, 12, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.queue.set(id, { at: this.current + Math.max(0, ms), seq: id, callback });
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (handle) this.queue.delete(handle.id as number);
  }

  get pending(): number {
    return this.queue.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due (including ones scheduled meanwhile). */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      const next = [...this.queue.entries()].filter(([, s]) => s.at <= target).sort(([, a], [, b]) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.queue.delete(next[0]);
      this.current = Math.max(this.current, next[1].at);
      next[1].callback();
    }
    this.current = target;
    await settle();
  }
}

/** Lets chained promise callbacks (and a few I/O turns) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
