import { Inject, Injectable, Logger } from '@nestjs/common';
import { pickRoundRobin } from '@bridgefleet/policy/assignment/round-robin.js';
import type { Tx } from '../audit/audit.repository.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { PrismaService } from '../database/prisma.service.js';
import { RedisService } from '../redis/redis.service.js';
import { isAssignable } from '@bridgefleet/policy/line-lifecycle.js';
import { mustReassign } from './line-eligibility.js';
import { LineSchedulerRepository } from './line-scheduler.repository.js';
import { MessageTransitionsRepository } from './message-transitions.repository.js';
import { NewContactHeadroom } from './new-contact-headroom.js';
import { RoutingRepository, type RoutableLine, type RoutedLine } from './routing.repository.js';
import { FleetSettingsService } from '../settings/fleet-settings.service.js';

// How long the ring of assignable lines is reused. Reading every line per message made
// routing O(lines) per message (bench:send: 26 msg/s at 1,000 lines); a pick from the
// snapshot is confirmed against its row before use, so a line that stopped being
// assignable is never chosen; one that became assignable joins within this time.
const RING_TTL_MS = 1_000;

export type RouteOutcome = 'assigned' | 'waiting_for_line' | 'expired' | 'not_routable';

export type ReassignListener = (
  tx: Tx,
  change: { handle: string; fromLineId: string; toLineId: string; at: Date; reason: string },
) => Promise<void>;

/**
 * Step 3 of DESIGN.md's sending: resolve the contact's line (sticky, else the
 * next assignable line round-robin among those with new-contact headroom), pin
 * it, mark the message assigned and queue it on that line.
 */
@Injectable()
export class RouterService {
  private readonly logger = new Logger('router');
  private readonly reassignListeners: ReassignListener[] = [];
  private ring: { ids: string[]; readAt: number } | undefined;

  constructor(
    private readonly routing: RoutingRepository,
    private readonly transitions: MessageTransitionsRepository,
    private readonly scheduler: LineSchedulerRepository,
    private readonly headroom: NewContactHeadroom,
    private readonly settings: FleetSettingsService,
    private readonly audit: AuditRepository,
    private readonly prisma: PrismaService,
    private readonly redis: RedisService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onReassign(listener: ReassignListener): void {
    this.reassignListeners.push(listener);
  }

  async route(messageId: string): Promise<RouteOutcome> {
    const message = await this.transitions.findById(messageId);
    if (!message || message.direction !== 'outbound') return 'not_routable';
    const now = this.clock.now();
    if (message.status === 'assigned' && message.lineId) {
      // Already routed (a re-delivered job or the reconciler): make sure it is queued.
      await this.scheduler.enqueue(message.lineId, message.id, message.seq, now.getTime());
      return 'assigned';
    }
    if (message.status !== 'queued') return 'not_routable';
    if (message.validUntil && message.validUntil <= now) {
      await this.transitions.advance(message.id, 'expired', now, { detail: 'validity ended before a line was available' });
      return 'expired';
    }
    const contact = await this.routing.contact(message.contactHandle);
    const current = contact?.lineId ? await this.routing.line(contact.lineId) : undefined;
    const settings = await this.settings.get();
    // A contact with messages still waiting on its old line stays there for now: the drain
    // worker moves it together with those messages, in order, so a new message can never
    // overtake an older one by leaving from another line first.
    const keep =
      current &&
      (!mustReassign(current, now, settings.health.tolerationSeconds) ||
        (await this.routing.hasWaiting(message.contactHandle, current.id, message.id)));
    const lineId = keep ? current.id : await this.pickNewLine(current, now);
    if (!lineId) return 'waiting_for_line';

    const assignedLine = await this.prisma.$transaction(async (tx) => {
      let finalLine = lineId;
      if (current && !keep) {
        const moved = await this.routing.reassign(tx, message.contactHandle, current.id, lineId, now);
        if (moved) {
          const reason = reassignReason(current);
          await this.audit.record(
            {
              actor: 'system:router',
              action: 'contact.reassign',
              targetType: 'contact',
              targetId: message.contactHandle,
              reason,
              detail: { fromLineId: current.id, toLineId: lineId },
            },
            tx,
          );
          for (const listener of this.reassignListeners) {
            await listener(tx, { handle: message.contactHandle, fromLineId: current.id, toLineId: lineId, at: now, reason });
          }
        } else {
          finalLine = (await this.routing.contact(message.contactHandle))?.lineId ?? lineId;
        }
      } else {
        finalLine = await this.routing.pinIfUnassigned(tx, message.contactHandle, lineId, now);
      }
      const advanced = await this.transitions.advance(message.id, 'assigned', now, { lineId: finalLine, detail: `line ${finalLine}` }, tx);
      return advanced ? finalLine : undefined;
    });
    if (!assignedLine) return 'not_routable';
    await this.scheduler.enqueue(assignedLine, message.id, message.seq, now.getTime());
    return 'assigned';
  }

  /**
   * Walks the ring of assignable lines from the fleet cursor and takes the first that is
   * still assignable and has new-contact headroom; usually one line read and one governor
   * lookup, not one per line.
   */
  private async pickNewLine(exclude: RoutableLine | undefined, now: Date): Promise<string | undefined> {
    const assignable = (await this.assignableRing()).filter((id) => id !== exclude?.id);
    if (assignable.length === 0) return undefined;
    const cursor = (await this.redis.client.incr(this.redis.key('rr', 'cursor'))) - 1;
    const tried = new Set<string>();
    let position = cursor;
    for (;;) {
      const pick = pickRoundRobin(
        assignable.map((id) => ({ id, acceptsNewContacts: !tried.has(id) })),
        position,
      );
      if (!pick) return undefined;
      const line = await this.stillAssignable(pick.lineId);
      if (line && (await this.headroom.hasHeadroom(pick.lineId, now, line))) return pick.lineId;
      tried.add(pick.lineId);
      position = pick.nextCursor;
      if (tried.size >= assignable.length) {
        // Every line is at its new-contact cap: assign by plain round-robin anyway, so
        // the message waits on its line for the governor's next day, not unrouted.
        this.logger.debug('no line has new-contact headroom; the message will wait on its line');
        const fallback = pickRoundRobin(
          assignable.map((id) => ({ id, acceptsNewContacts: true })),
          cursor,
        )?.lineId;
        return fallback && (await this.stillAssignable(fallback)) ? fallback : undefined;
      }
    }
  }

  private async assignableRing(): Promise<string[]> {
    const at = Date.now(); // wall time on purpose: the snapshot's age is about real reads, not the injected clock
    if (!this.ring || at - this.ring.readAt > RING_TTL_MS) this.ring = { ids: await this.routing.assignableLineIds(), readAt: at };
    return this.ring.ids;
  }

  /** Confirms a ring pick against its row (returned for the headroom check); a stale snapshot is dropped so the next route reads it afresh. */
  private async stillAssignable(lineId: string): Promise<RoutedLine | undefined> {
    const line = await this.routing.line(lineId);
    if (line && isAssignable(line, line.nodeHealth)) return line;
    this.ring = undefined;
    return undefined;
  }
}

function reassignReason(line: RoutableLine): string {
  if (line.admin === 'retired' || line.admin === 'draining') return `line ${line.admin}`;
  if (line.reputation === 'flagged' || line.reputation === 'banned') return `line ${line.reputation}`;
  return 'line unreachable past the toleration period';
}
