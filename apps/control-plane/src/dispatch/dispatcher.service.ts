import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { runsRole } from '../config/roles.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { LineSchedulerRepository } from './line-scheduler.repository.js';
import { SendAttemptService } from './send-attempt.service.js';

// Idle wait between empty scans: bounds how late a line parked by another
// process is noticed. Lines queued by this process wake the loop at once.
const IDLE_POLL_MS = 50;
const ERROR_BACKOFF_MS = 500;

/**
 * Step 4 of DESIGN.md's sending. One loop per process leases lines that may send
 * now from the sharded ready sets and runs up to DISPATCH_CONCURRENCY of them at
 * once; a line is leased to one worker at a time, so one send is in flight per line.
 * No queue, worker or connection per line: the same loop serves 10 or 10,000.
 */
@Injectable()
export class DispatcherService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('dispatcher');
  private running = false;
  private active = 0;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private nextShard = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly scheduler: LineSchedulerRepository,
    private readonly attempts: SendAttemptService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.DISPATCH_ENABLED || !runsRole(this.config, 'worker')) return;
    this.start();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Wakes the loop now (a message was just queued by this process). */
  notify(): void {
    this.wake?.();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.notify();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const claimed = await this.claimUpToCapacity();
        if (!claimed) await this.idle(IDLE_POLL_MS);
      } catch (error) {
        this.logger.warn(`dispatch loop: ${(error as Error).message}`);
        await this.idle(ERROR_BACKOFF_MS);
      }
    }
  }

  /** Claims lines round-robin over the shards until capacity is used or nothing is due. */
  private async claimUpToCapacity(): Promise<boolean> {
    let claimedAny = false;
    let emptyShards = 0;
    while (this.running && this.active < this.config.DISPATCH_CONCURRENCY && emptyShards < this.scheduler.shards) {
      const shard = this.nextShard;
      this.nextShard = (this.nextShard + 1) % this.scheduler.shards;
      const claim = await this.scheduler.claimNext(shard, this.clock.now().getTime(), this.config.DISPATCH_LEASE_MS);
      if (!('lineId' in claim)) {
        emptyShards += 1;
        continue;
      }
      emptyShards = 0;
      claimedAny = true;
      this.spawn(claim.lineId);
    }
    if (this.active >= this.config.DISPATCH_CONCURRENCY) await this.idle(IDLE_POLL_MS);
    return claimedAny;
  }

  private spawn(lineId: string): void {
    this.active += 1;
    const task = this.turn(lineId).finally(() => {
      this.active -= 1;
      this.inFlight.delete(task);
      this.notify();
    });
    this.inFlight.add(task);
  }

  private async turn(lineId: string): Promise<void> {
    try {
      const head = await this.scheduler.head(lineId, 20);
      const outcome = head.length ? await this.attempts.runLine(lineId, head) : { finished: [], nextAt: this.clock.now().getTime() };
      await this.scheduler.settle(lineId, outcome.nextAt, outcome.finished);
    } catch (error) {
      // Leave the lease to expire: the line comes back after DISPATCH_LEASE_MS, and
      // a message caught mid-send is resolved by asking the agent.
      this.logger.warn(`line ${lineId}: ${(error as Error).message}`);
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
