import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { runsRole } from '../config/roles.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { PrismaService } from '../database/prisma.service.js';
import { GovernorService } from '../governor/governor.service.js';
import { RedisService } from '../redis/redis.service.js';
import { DispatcherService } from './dispatcher.service.js';
import { LineSchedulerRepository } from './line-scheduler.repository.js';
import { RouteQueue } from './route.queue.js';

const PAGE = 1_000;
// A queued message younger than this is still on its way through the outbox relay.
const QUEUED_GRACE_MS = 5_000;

export interface ReconcileReport {
  requeuedForRouting: number;
  requeuedOnLines: number;
  /** Lines whose governor day was rebuilt because Redis had lost its data. */
  reseededLines: number;
}

/**
 * PostgreSQL is the record of truth; Redis holds only what can be rebuilt. The
 * reconciler converges Redis to Postgres (Kubernetes-style: safe to run any time,
 * any number of times): queued messages go back to routing, assigned and sending
 * ones back onto their line's queue. After a FLUSHALL or a Redis restart without
 * persistence, or a crash between commit and enqueue, nothing is lost; nothing is
 * sent twice because the agent deduplicates on the message id and an in-flight
 * message is resolved by asking the agent first.
 */
@Injectable()
export class ReconcilerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('reconciler');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReconcileReport> | undefined;

  constructor(
    private readonly prisma: PrismaService,
    private readonly scheduler: LineSchedulerRepository,
    private readonly routeQueue: RouteQueue,
    private readonly dispatcher: DispatcherService,
    private readonly redis: RedisService,
    private readonly governor: GovernorService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.DISPATCH_ENABLED || !runsRole(this.config, 'worker')) return;
    const tick = () => {
      this.runIfLeader()
        .catch((error: Error) => this.logger.warn(`reconcile: ${error.message}`))
        .finally(() => {
          this.timer = setTimeout(tick, this.config.RECONCILE_INTERVAL_MS);
          this.timer.unref();
        });
    };
    tick();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }

  /** One process per interval does the work; the others skip. */
  private async runIfLeader(): Promise<ReconcileReport | undefined> {
    const lease = await this.redis.client.set(
      this.redis.key('reconciler', 'lease'),
      '1',
      'PX',
      Math.max(1_000, this.config.RECONCILE_INTERVAL_MS - 100),
      'NX',
    );
    if (lease !== 'OK') return undefined;
    return this.reconcile();
  }

  reconcile(): Promise<ReconcileReport> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<ReconcileReport> {
    const report: ReconcileReport = { requeuedForRouting: 0, requeuedOnLines: 0, reseededLines: 0 };
    const now = this.clock.now();
    report.reseededLines = await this.reseedIfRedisLostData(now);
    let after = -1n;
    for (;;) {
      const rows = await this.prisma.message.findMany({
        where: { direction: 'outbound', status: { in: ['queued', 'assigned', 'sending'] }, seq: { gt: after } },
        select: { id: true, seq: true, status: true, lineId: true, createdAt: true },
        orderBy: { seq: 'asc' },
        take: PAGE,
      });
      const onLines: Array<{ lineId: string; messageId: string; seq: bigint }> = [];
      for (const row of rows) {
        if (row.status === 'queued') {
          if (now.getTime() - row.createdAt.getTime() < QUEUED_GRACE_MS) continue;
          await this.routeQueue.requeue(row.id);
          report.requeuedForRouting += 1;
        } else if (row.lineId) {
          onLines.push({ lineId: row.lineId, messageId: row.id, seq: row.seq });
        }
      }
      // One round trip per page, not one per message: every pass walks every waiting message.
      report.requeuedOnLines += await this.scheduler.enqueueMany(onLines, now.getTime());
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.seq;
    }
    if (report.reseededLines)
      this.logger.warn(`Redis had lost its data: rebuilt today's governor counters of ${report.reseededLines} lines`);
    if (report.requeuedOnLines) {
      this.logger.warn(`rebuilt ${report.requeuedOnLines} line queue entries from PostgreSQL`);
      this.dispatcher.notify();
    }
    return report;
  }

  /**
   * A sentinel key lives as long as Redis keeps its data. When it is gone (FLUSHALL, a
   * restart without persistence, a new Redis), today's governor counters are rebuilt from
   * PostgreSQL before dispatch goes on, so a daily cap cannot be spent twice.
   */
  private async reseedIfRedisLostData(now: Date): Promise<number> {
    const sentinel = this.redis.key('sentinel');
    if (await this.redis.client.exists(sentinel)) return 0;
    const lines = await this.prisma.line.findMany({ where: { admin: { not: 'retired' } }, select: { id: true } });
    for (const line of lines) await this.governor.reseedToday(line.id, now);
    await this.redis.client.set(sentinel, now.toISOString());
    return lines.length;
  }
}
