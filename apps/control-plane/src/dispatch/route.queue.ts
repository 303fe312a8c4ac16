import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { runsRole } from '../config/roles.js';
import { DispatcherService } from './dispatcher.service.js';
import { RouterService } from './router.service.js';

export interface RouteJob {
  messageId: string;
}

const QUEUE = 'route';
// When no line can take the contact yet, the job waits this long (doubling) before trying again.
const WAIT_FOR_LINE_MS = [2_000, 5_000, 15_000, 30_000, 60_000];

/**
 * The routing stage on one shared BullMQ queue (jobId = message id, so the relay
 * and the reconciler may add a message twice harmlessly). Dispatch itself does
 * not use BullMQ jobs: per-line order and gating come from the line scheduler.
 */
@Injectable()
export class RouteQueue implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('route-queue');
  private queue: Queue<RouteJob> | undefined;
  private worker: Worker<RouteJob> | undefined;
  private readonly connections: Redis[] = [];

  constructor(
    private readonly router: RouterService,
    private readonly dispatcher: DispatcherService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private connection(): Redis {
    // BullMQ needs blocking commands retried forever; these two connections are per process, not per line.
    const connection = new Redis(this.config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
    connection.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
    this.connections.push(connection);
    return connection;
  }

  private get prefix(): string {
    return `${this.config.REDIS_PREFIX}:bull`;
  }

  getQueue(): Queue<RouteJob> {
    this.queue ??= new Queue<RouteJob>(QUEUE, {
      connection: this.connection(),
      prefix: this.prefix,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: 1_000, attempts: 5, backoff: { type: 'exponential', delay: 1_000 } },
    });
    return this.queue;
  }

  async add(messageId: string): Promise<void> {
    await this.getQueue().add('route', { messageId }, { jobId: messageId });
  }

  /**
   * The reconciler's re-add for a message still `queued` in PostgreSQL. A plain add is a
   * no-op while a job with that id exists, so a job that used up its attempts (e.g. the
   * database was down longer than its backoff) would keep the message queued for ever:
   * such a job is retried instead. Waiting, delayed and active jobs are left alone.
   */
  async requeue(messageId: string): Promise<void> {
    const job = await this.getQueue().getJob(messageId);
    if (job && (await job.isFailed())) await job.retry('failed');
    else if (!job) await this.add(messageId);
  }

  onApplicationBootstrap(): void {
    if (!this.config.DISPATCH_ENABLED || !runsRole(this.config, 'worker')) return;
    this.worker = new Worker<RouteJob>(QUEUE, (job, token) => this.process(job, token), {
      connection: this.connection(),
      prefix: this.prefix,
      concurrency: 32,
      // Routing a message takes milliseconds; short locks bring the jobs of a killed process back
      // in ~15 s instead of BullMQ's 30 s lock + 30 s stall check (the lock is renewed while working).
      lockDuration: 10_000,
      stalledInterval: 5_000,
    });
    this.worker.on('error', (error) => this.logger.warn(`worker: ${error.message}`));
  }

  private async process(job: Job<RouteJob>, token: string | undefined): Promise<void> {
    const outcome = await this.router.route(job.data.messageId);
    if (outcome === 'assigned') {
      this.dispatcher.notify();
      return;
    }
    if (outcome === 'waiting_for_line') {
      const waits = job.attemptsStarted ?? 0;
      const delay = WAIT_FOR_LINE_MS[Math.min(waits, WAIT_FOR_LINE_MS.length - 1)]!;
      await job.moveToDelayed(Date.now() + delay, token);
      throw new DelayedError();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    for (const connection of this.connections) connection.disconnect();
  }
}
