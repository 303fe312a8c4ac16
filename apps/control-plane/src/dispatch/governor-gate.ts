import { Injectable } from '@nestjs/common';
import type { LimitOverrides } from '@bridgefleet/contracts/limits.schema.js';
import { LINE_WIDE_REASONS } from '@bridgefleet/policy/governor/gate-types.js';
import type { AdminState, HealthState, ReputationState } from '@bridgefleet/policy/line-lifecycle.js';
import type { Reservation } from '../governor/governor.repository.js';
import { GovernorService, type GovernedLine } from '../governor/governor.service.js';
import { PrismaService } from '../database/prisma.service.js';
import { NewContactHeadroom, type HeadroomLine } from './new-contact-headroom.js';
import { SendGate, type GateContact, type GateDecision, type GateLine } from './send-gate.js';

// line_daily_usage keeps the history; refreshing it after every send would add a
// write per message, so each line's day is copied at most this often.
const PERSIST_EVERY_MS = 10_000;

function governed(line: GateLine): GovernedLine {
  return {
    id: line.id,
    admin: line.admin as AdminState,
    reputation: line.reputation as ReputationState,
    health: line.health as HealthState,
    warmupStartedAt: line.warmupStartedAt,
    limits: (line.limits ?? {}) as LimitOverrides,
  };
}

/** The dispatcher's SendGate, bound to the anti-spam governor (atomic Lua in Redis). */
@Injectable()
export class GovernorGate extends SendGate {
  private readonly persistedAt = new Map<string, number>();

  constructor(private readonly governor: GovernorService) {
    super();
  }

  async acquire(line: GateLine, contact: GateContact, now: Date): Promise<GateDecision> {
    const result = await this.governor.tryAcquire(
      governed(line),
      { contact: contact.handle, newContact: contact.isNew, contactWroteRecently: contact.wroteRecently, unanswered: contact.unanswered },
      now,
    );
    if (result.allow) {
      this.persistSoon(line.id, now);
      return { allow: true, reservation: result.reservation };
    }
    return {
      allow: false,
      reason: result.reason,
      waitUntil: result.waitUntil,
      scope: LINE_WIDE_REASONS.has(result.reason) ? 'line' : 'contact',
    };
  }

  async release(_line: GateLine, _contact: GateContact, reservation: unknown): Promise<void> {
    if (reservation) await this.governor.release(reservation as Reservation);
  }

  async recordInbound(lineId: string, contactHandle: string, at: Date): Promise<void> {
    await this.governor.recordInbound(lineId, contactHandle, at);
    this.persistSoon(lineId, at);
  }

  private persistSoon(lineId: string, at: Date): void {
    const last = this.persistedAt.get(lineId) ?? 0;
    if (Date.now() - last < PERSIST_EVERY_MS) return;
    this.persistedAt.set(lineId, Date.now());
    this.governor.persistDay(lineId, at).catch(() => this.persistedAt.delete(lineId));
  }
}

/** New-contact headroom as the governor counts it for the line's current day. */
@Injectable()
export class GovernorHeadroom extends NewContactHeadroom {
  constructor(
    private readonly governor: GovernorService,
    private readonly prisma: PrismaService,
  ) {
    super();
  }

  async hasHeadroom(lineId: string, now: Date, known?: HeadroomLine): Promise<boolean> {
    const line = known ?? (await this.readLine(lineId));
    if (!line) return false;
    const usage = await this.governor.usage(
      governed({
        id: line.id,
        admin: line.admin,
        health: line.nodeHealth,
        reputation: line.reputation,
        limits: line.limits,
        warmupStartedAt: line.warmupStartedAt,
      }),
      now,
    );
    return usage.newContacts < usage.newContactCap;
  }

  private async readLine(lineId: string): Promise<HeadroomLine | undefined> {
    const line = await this.prisma.line.findUnique({ where: { id: lineId }, include: { node: { select: { healthState: true } } } });
    return line ? { ...line, nodeHealth: line.node.healthState } : undefined;
  }
}
