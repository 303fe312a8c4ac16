import { Injectable, Optional } from '@nestjs/common';
import type { LineView } from '@bridgefleet/contracts/fleet.schema.js';
import { adminTransition, reputationTransition, type AdminAction, type ReputationAction } from '@bridgefleet/policy/line-lifecycle.js';
import { AuditRepository, type Tx } from '../audit/audit.repository.js';
import type { Principal } from '../auth/principal.js';
import { PrismaService } from '../database/prisma.service.js';
import { InvalidTransition, NotFound } from '../http/problems.js';
import { WebhookPublisher } from '../webhooks/webhook.publisher.js';
import { LineViewBuilder } from './line-view.builder.js';
import { LineRepository, type LineRow } from './line.repository.js';

// Compare-and-set retries: a lost race re-reads the line and decides again on its new state.
const MAX_ATTEMPTS = 3;

/**
 * Admin (cordon, drain, …) and reputation (flag, ban, …) actions on a line. Each one is decided by
 * the pure state machine and applied with a compare-and-set update, so of two concurrent
 * transitions from the same state only one wins; the other is decided again or refused.
 */
@Injectable()
export class LineLifecycleService {
  constructor(
    private readonly lines: LineRepository,
    private readonly views: LineViewBuilder,
    private readonly audit: AuditRepository,
    private readonly prisma: PrismaService,
    // Optional so the fleet API also runs in a process without the webhooks module.
    @Optional() private readonly webhooks?: WebhookPublisher,
  ) {}

  async admin(id: string, action: AdminAction, reason: string | undefined, by: Principal): Promise<LineView> {
    return this.apply(id, async (line, tx) => {
      const transition = adminTransition(line.admin, action);
      if (!transition.ok) throw new InvalidTransition('line', line.admin, action);
      if (!(await this.lines.setAdminIf(id, line.admin, transition.to, tx))) return false;
      await this.audit.record(
        {
          actor: by.actor,
          action: `line.${action}`,
          targetType: 'line',
          targetId: id,
          reason: reason ?? null,
          detail: { before: { admin: line.admin }, after: { admin: transition.to } },
        },
        tx,
      );
      await this.publishState(line, { admin: transition.to, reputation: line.reputation }, reason ?? null, tx);
      return true;
    });
  }

  async reputation(id: string, action: ReputationAction, reason: string, by: Principal): Promise<LineView> {
    return this.apply(id, async (line, tx) => {
      const transition = reputationTransition(line.reputation, action);
      if (!transition.ok) throw new InvalidTransition('line', line.reputation, action);
      // A ban retires the line: that Apple ID will not send again; the Mac gets a new line.
      const retire = transition.to === 'banned' ? adminTransition(line.admin, 'retire') : { ok: false as const };
      const admin = retire.ok ? retire.to : undefined;
      const changed = await this.lines.setReputationIf(id, line.reputation, { to: transition.to, reason, admin }, tx);
      if (!changed) return false;
      await this.audit.record(
        {
          actor: by.actor,
          action: `line.${action}`,
          targetType: 'line',
          targetId: id,
          reason,
          detail: {
            before: { reputation: line.reputation, admin: line.admin },
            after: { reputation: transition.to, admin: admin ?? line.admin },
          },
        },
        tx,
      );
      await this.publishState(line, { admin: admin ?? line.admin, reputation: transition.to }, reason, tx);
      return true;
    });
  }

  private async apply(id: string, attempt: (line: LineRow, tx: Tx) => Promise<boolean>): Promise<LineView> {
    for (let tries = 0; tries < MAX_ATTEMPTS; tries++) {
      const won = await this.prisma.$transaction(async (tx) => {
        const line = await this.lines.findById(id, tx);
        if (!line) throw new NotFound('Line', id);
        return attempt(line, tx);
      });
      if (won) {
        this.webhooks?.committed();
        return this.views.one((await this.lines.findById(id))!);
      }
    }
    throw new InvalidTransition('line', 'changing concurrently', 'change');
  }

  /** The `line.state` webhook, written in the same transaction as the change. */
  private async publishState(line: LineRow, now: Pick<LineRow, 'admin' | 'reputation'>, reason: string | null, tx: Tx): Promise<void> {
    await this.webhooks?.publish(tx, 'line.state', {
      lineId: line.id,
      phoneNumber: line.phoneNumber,
      admin: now.admin,
      previousAdmin: line.admin,
      reputation: now.reputation,
      previousReputation: line.reputation,
      reason,
    });
  }
}
