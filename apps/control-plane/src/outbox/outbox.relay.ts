import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { runsRole } from '../config/roles.js';
import { withTimeout } from '../database/prisma.service.js';
import { WakeablePollLoop } from '../reconcile/wakeable-poll-loop.js';
import { OutboxHandlers, type OutboxEntry } from './outbox.handlers.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxWriter } from './outbox.writer.js';

const BATCH = 100;
const HANDLER_TIMEOUT_MS = 5_000;
const MAX_BACKOFF_MS = 30_000;
// Rows kept out of the claim query while they back off; beyond this, failing rows are
// simply retried in order (the whole-batch backoff still throttles them).
const MAX_TRACKED_FAILURES = 1_000;

/**
 * Moves outbox rows to their topic handlers (ROLES worker/all). Wakes on a commit in this
 * process and otherwise polls every OUTBOX_POLL_MS: a poll of an almost always empty
 * table on its primary key costs little and needs no dedicated LISTEN connection.
 * A row whose handler fails (Redis down) stays and is retried with exponential backoff.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('outbox');
  private readonly failures = new Map<bigint, { count: number; retryAt: number }>();
  private readonly loop: WakeablePollLoop;
  private stopListening: (() => void) | undefined;
  private batchBackoffMs = 0;

  constructor(
    private readonly repository: OutboxRepository,
    private readonly handlers: OutboxHandlers,
    private readonly writer: OutboxWriter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.loop = new WakeablePollLoop({
      name: 'outbox relay',
      logger: this.logger,
      pollMs: config.OUTBOX_POLL_MS,
      pass: async () => (await this.relayOnce()) >= BATCH,
      backoffMs: () => this.batchBackoffMs,
      onError: () => {
        this.batchBackoffMs = nextBackoff(this.batchBackoffMs);
      },
    });
  }

  onApplicationBootstrap(): void {
    if (!runsRole(this.config, 'worker')) return;
    this.stopListening = this.writer.onCommitted(() => this.nudge());
    this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopListening?.();
    await this.loop.stop();
  }

  nudge(): void {
    this.loop.nudge();
  }

  /** One pass over the table; returns how many rows it saw (tests and drains use it). */
  async relayOnce(): Promise<number> {
    const now = Date.now();
    const skip = [...this.failures].filter(([, failure]) => failure.retryAt > now).map(([id]) => id);
    let failed = 0;
    const seen = await this.repository.withClaimedBatch(BATCH, skip, async (entries) => {
      const done: bigint[] = [];
      for (const entry of entries) {
        if (await this.handle(entry)) done.push(entry.id);
        else failed += 1;
      }
      return done;
    });
    this.batchBackoffMs = seen > 0 && failed === seen ? nextBackoff(this.batchBackoffMs) : 0;
    return seen;
  }

  private async handle(entry: OutboxEntry): Promise<boolean> {
    const handler = this.handlers.get(entry.topic);
    try {
      if (!handler) throw new Error(`no handler for topic "${entry.topic}" in this process`);
      await withTimeout(handler(entry), HANDLER_TIMEOUT_MS, `outbox handler for ${entry.topic}`);
      this.failures.delete(entry.id);
      return true;
    } catch (error) {
      const count = (this.failures.get(entry.id)?.count ?? 0) + 1;
      if (this.failures.size < MAX_TRACKED_FAILURES || this.failures.has(entry.id)) {
        this.failures.set(entry.id, { count, retryAt: Date.now() + backoffFor(count) });
      }
      if (count === 1 || count % 10 === 0)
        this.logger.warn(`outbox ${entry.topic} #${entry.id} failed (try ${count}): ${(error as Error).message}`);
      return false;
    }
  }
}

function backoffFor(failures: number): number {
  const base = Math.min(MAX_BACKOFF_MS, 200 * 2 ** Math.min(failures, 20));
  return base / 2 + Math.random() * (base / 2);
}

function nextBackoff(current: number): number {
  return current === 0 ? 200 : Math.min(MAX_BACKOFF_MS, current * 2);
}
