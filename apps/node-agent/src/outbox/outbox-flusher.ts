import type { TimerHandle, Timers } from '../clock/clock.js';
import type { EventOutbox } from './event-outbox.js';
import type { EventSender } from './event-sender.js';

export interface OutboxSource {
  key: string;
  /** Known once the node is registered; events wait until then. */
  nodeId(): string | undefined;
  agentToken: string;
  outbox: EventOutbox;
}

export interface FlusherOptions {
  batchSize?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Batches in flight at once across all sources. */
  concurrency?: number;
  /** Wait this long after an add so events arriving together go in one batch. */
  coalesceMs?: number;
  random?: () => number;
  onError?: (key: string, attempts: number) => void;
}

interface SourceState {
  source: OutboxSource;
  attempts: number;
  nextAttemptAt: number;
}

/**
 * One flusher serves any number of agents (a simulated fleet of 10,000 has one, with one timer):
 * it posts each agent's events oldest first in batches, and after a failure retries that agent
 * with exponential backoff and full jitter until the control plane acknowledges.
 */
export class OutboxFlusher {
  private readonly sources = new Map<string, SourceState>();
  private readonly dirty = new Set<string>();
  private timer: TimerHandle | undefined;
  private wakeAt = Infinity;
  private pass: Promise<void> | undefined;
  private stopped = true;
  private readonly options: Required<Omit<FlusherOptions, 'onError'>> & Pick<FlusherOptions, 'onError'>;

  constructor(
    private readonly sender: EventSender,
    private readonly timers: Timers,
    options: FlusherOptions = {},
  ) {
    this.options = {
      batchSize: 100,
      baseDelayMs: 500,
      maxDelayMs: 60_000,
      concurrency: 16,
      coalesceMs: 20,
      random: Math.random,
      ...options,
    };
  }

  register(source: OutboxSource): void {
    this.sources.set(source.key, { source, attempts: 0, nextAttemptAt: 0 });
    if (source.outbox.size() > 0) this.notify(source.key);
  }

  /** Call after events were added to a source's outbox (or its node id became known). */
  notify(key: string): void {
    if (!this.sources.has(key)) return;
    this.dirty.add(key);
    this.wake(this.timers.now() + this.options.coalesceMs);
  }

  start(): void {
    this.stopped = false;
    if (this.dirty.size) this.wake(this.timers.now());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeAt = Infinity;
    await this.pass;
  }

  /** Posts everything that is due now; resolves when that pass is over. */
  async flushNow(): Promise<void> {
    // Passes never overlap: two would post the same batch twice.
    const pass = (this.pass ?? Promise.resolve()).then(() => this.runPass());
    this.pass = pass;
    await pass;
  }

  /** Events still waiting for an acknowledgement, all sources together. */
  backlog(): number {
    let total = 0;
    for (const key of this.dirty) total += this.sources.get(key)?.source.outbox.size() ?? 0;
    return total;
  }

  private wake(at: number): void {
    if (this.stopped || at >= this.wakeAt) return;
    this.timers.clearTimeout(this.timer);
    this.wakeAt = at;
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = undefined;
        this.wakeAt = Infinity;
        void this.flushNow().then(() => this.scheduleNext());
      },
      Math.max(0, at - this.timers.now()),
    );
  }

  private scheduleNext(): void {
    let next = Infinity;
    for (const key of this.dirty) next = Math.min(next, this.sources.get(key)?.nextAttemptAt ?? Infinity);
    if (next < Infinity) this.wake(Math.max(next, this.timers.now()));
  }

  private async runPass(): Promise<void> {
    const now = this.timers.now();
    const due = [...this.dirty]
      .map((key) => this.sources.get(key))
      .filter((state): state is SourceState => !!state && state.nextAttemptAt <= now);
    let index = 0;
    const worker = async () => {
      while (index < due.length) await this.drain(due[index++]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, due.length) }, worker));
  }

  private async drain(state: SourceState): Promise<void> {
    const { source } = state;
    const nodeId = source.nodeId();
    if (!nodeId) {
      this.dirty.delete(source.key);
      return;
    }
    while (source.outbox.size() > 0) {
      const batch = source.outbox.peek(this.options.batchSize);
      const acknowledged = await this.sender.post(nodeId, source.agentToken, batch).catch(() => false);
      if (!acknowledged) {
        state.attempts += 1;
        state.nextAttemptAt = this.timers.now() + this.backoff(state.attempts);
        this.options.onError?.(source.key, state.attempts);
        return;
      }
      state.attempts = 0;
      state.nextAttemptAt = 0;
      await source.outbox.ack(batch.map((event) => event.id));
    }
    this.dirty.delete(source.key);
  }

  /** Full jitter ("Exponential Backoff and Jitter", AWS): spreads a fleet's retries after an outage. */
  private backoff(attempts: number): number {
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempts - 1));
    return Math.max(this.options.baseDelayMs / 2, Math.floor(ceiling * this.options.random()));
  }
}
