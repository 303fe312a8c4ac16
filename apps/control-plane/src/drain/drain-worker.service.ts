import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AuditRepository } from '../audit/audit.repository.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { ReconcileLoop } from '../reconcile/reconcile-loop.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { runsRole } from '../config/roles.js';
import { PrismaService } from '../database/prisma.service.js';
import { DispatcherService } from '../dispatch/dispatcher.service.js';
import { isAssignable } from '@bridgefleet/policy/line-lifecycle.js';
import { LineSchedulerRepository } from '../dispatch/line-scheduler.repository.js';
import type { RoutableLine } from '../dispatch/routing.repository.js';
import { StormGuardService } from '../health/storm-guard.service.js';
import { FleetSettingsService } from '../settings/fleet-settings.service.js';
import { WebhookPublisher } from '../webhooks/webhook.publisher.js';
import { DrainPaceRepository } from './drain-pace.repository.js';
import { DrainRepository, type MovedMessage } from './drain.repository.js';
import { drainReason, drainSources } from './drain-sources.js';

export const DRAIN_ACTOR = 'system:drain';

export interface DrainMove {
  handle: string;
  fromLineId: string;
  toLineId: string;
  messages: string[];
}

/**
 * Moves contacts off lines they should leave, a batch per line per minute
 * (fleet settings `lines.drainContactsPerMinute`): a draining line's contacts, all of
 * them; an unreachable line's (past `health.tolerationSeconds`) contacts that have
 * messages waiting, so those do not wait forever. Each contact goes to the assignable
 * line with the fewest contacts, with its waiting messages, in order, like a routing
 * reassignment: audited (`contact.reassign`) with a `contact.reassigned` webhook.
 *
 * A drained line stays `draining` once empty: retiring it is an operator's call (the
 * phone number may still receive texts from contacts who kept it).
 * Idempotent and safe on every replica: the pace is a Redis slot per line, each move
 * is a compare-and-set, and the line's dispatch lease is held while its queue changes.
 */
@Injectable()
export class DrainWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('drain');
  private readonly loop = new ReconcileLoop<DrainMove[]>('drain', () => this.runPass(), [], this.logger);

  constructor(
    private readonly drain: DrainRepository,
    private readonly pace: DrainPaceRepository,
    private readonly scheduler: LineSchedulerRepository,
    private readonly dispatcher: DispatcherService,
    private readonly settings: FleetSettingsService,
    private readonly storm: StormGuardService,
    private readonly audit: AuditRepository,
    private readonly webhooks: WebhookPublisher,
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** One pass over the fleet at the current time; passes in this process run one after the other. */
  reconcileAll(): Promise<DrainMove[]> {
    return this.loop.run();
  }

  private async runPass(): Promise<DrainMove[]> {
    const now = this.clock.now();
    const fleet = await this.settings.get();
    const lines = await this.drain.lines();
    // In a storm most of the fleet looks down because of us or the network, not the Macs:
    // moving contacts off "unreachable" lines then would only shuffle senders. Drains go on.
    const stormActive = this.storm.isStormActive();
    const sources = drainSources(lines, now, fleet.health.tolerationSeconds).filter((source) => !stormActive || !source.waitingOnly);
    if (sources.length === 0) return [];
    const targets = lines.filter((line) => isAssignable(line, line.nodeHealth) && !sources.some((source) => source.line.id === line.id));
    if (targets.length === 0) return [];
    const load = await this.drain.contactCounts(targets.map((line) => line.id));
    const moves: DrainMove[] = [];
    for (const source of sources) {
      try {
        moves.push(...(await this.drainLine(source.line, source.waitingOnly, targets, load, fleet.lines.drainContactsPerMinute, now)));
      } catch (error) {
        this.logger.warn(`draining line ${source.line.id}: ${(error as Error).message}`);
      }
    }
    if (moves.length > 0) this.dispatcher.notify();
    return moves;
  }

  private async drainLine(
    line: RoutableLine,
    waitingOnly: boolean,
    targets: RoutableLine[],
    load: Map<string, number>,
    batch: number,
    now: Date,
  ): Promise<DrainMove[]> {
    const handles = await this.drain.movableContacts(line.id, batch, waitingOnly);
    if (handles.length === 0) return [];
    // Hold the line's dispatch lease: no worker may start sending a message we are moving.
    const lease = await this.scheduler.lease(line.id, now.getTime(), this.config.DISPATCH_LEASE_MS);
    if (!lease) return [];
    const moves: DrainMove[] = [];
    const movedMessages: Array<{ lineId: string; message: MovedMessage }> = [];
    try {
      if (!(await this.pace.takeSlot(line.id, now))) return [];
      for (const handle of handles) {
        const target = leastLoaded(targets, load);
        const messages = await this.moveOne(handle, line, target, now);
        if (!messages) continue;
        load.set(target, (load.get(target) ?? 0) + 1);
        movedMessages.push(...messages.map((message) => ({ lineId: target, message })));
        moves.push({ handle, fromLineId: line.id, toLineId: target, messages: messages.map((message) => message.id) });
      }
    } finally {
      await this.scheduler.settle(
        line.id,
        lease.dueAt,
        movedMessages.map(({ message }) => message.id),
      );
    }
    this.webhooks.committed();
    for (const { lineId, message } of movedMessages) await this.scheduler.enqueue(lineId, message.id, message.seq, now.getTime());
    if (moves.length > 0) this.logger.log(`line ${line.id}: moved ${moves.length} contact(s) (${drainReason(line)})`);
    return moves;
  }

  private async moveOne(handle: string, from: RoutableLine, toLineId: string, now: Date): Promise<MovedMessage[] | undefined> {
    const reason = drainReason(from);
    return this.prisma.$transaction(async (tx) => {
      const messages = await this.drain.moveContact(tx, handle, from.id, toLineId, now);
      if (!messages) return undefined;
      await this.audit.record(
        {
          actor: DRAIN_ACTOR,
          action: 'contact.reassign',
          targetType: 'contact',
          targetId: handle,
          reason,
          detail: { fromLineId: from.id, toLineId, messages: messages.map((message) => message.id) },
        },
        tx,
      );
      await this.webhooks.publish(tx, 'contact.reassigned', { handle, fromLineId: from.id, toLineId, reason }, now);
      return messages;
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.DISPATCH_ENABLED || !runsRole(this.config, 'worker')) return;
    this.loop.start(this.config.RECONCILE_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }
}

function leastLoaded(targets: RoutableLine[], load: Map<string, number>): string {
  let best = targets[0]!.id;
  for (const line of targets) if ((load.get(line.id) ?? 0) < (load.get(best) ?? 0)) best = line.id;
  return best;
}
