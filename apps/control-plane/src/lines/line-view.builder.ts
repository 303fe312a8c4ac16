import { Inject, Injectable, Logger } from '@nestjs/common';
import { LimitOverrides, effectiveLimits, type Limits } from '@bridgefleet/contracts/limits.schema.js';
import type { LineView } from '@bridgefleet/contracts/fleet.schema.js';
import { governorDay } from '@bridgefleet/policy/governor-day.js';
import { isAssignable, isSendable } from '@bridgefleet/policy/line-lifecycle.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { GovernorService, type LineUsage } from '../governor/governor.service.js';
import { FleetSettingsService } from '../settings/fleet-settings.service.js';
import { LineRepository, type LineRow } from './line.repository.js';

/** Stored overrides, read leniently: an override that no longer validates falls back to the default. */
export function storedOverrides(value: unknown): LimitOverrides {
  const parsed = LimitOverrides.safeParse(value);
  return parsed.success ? parsed.data : {};
}

type DayHistory = { sent: number; newContacts: number; inbound: number };

/**
 * Turns line rows into API views: today's usage from the governor's live Redis counters
 * (caps with the warm-up applied, ratio over the governor's window), waiting messages and
 * contact counts. Redis that has nothing for today (restarted without persistence) or is
 * down falls back to the day's history in line_daily_usage.
 */
@Injectable()
export class LineViewBuilder {
  private readonly logger = new Logger('line-views');

  constructor(
    private readonly lines: LineRepository,
    private readonly settings: FleetSettingsService,
    private readonly governor: GovernorService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async one(row: LineRow, now = this.clock.now()): Promise<LineView> {
    const [view] = await this.many([row], now);
    return view!;
  }

  async many(rows: LineRow[], now = this.clock.now()): Promise<LineView[]> {
    if (rows.length === 0) return [];
    const fleet = await this.settings.get();
    const day = governorDay(now, fleet.timeZone, fleet.dayResetTime);
    const ids = rows.map((row) => row.id);
    const [history, contactCounts, waitingCounts, live] = await Promise.all([
      this.lines.usageOn(ids, day),
      this.lines.contactCounts(ids),
      this.lines.waitingCounts(ids),
      this.liveUsage(rows, now),
    ]);
    const historyByLine = new Map(history.map((usage) => [usage.lineId, usage]));
    return rows.map((row, index) => {
      const overrides = storedOverrides(row.limits);
      const limits = effectiveLimits(fleet.limits, overrides);
      const usage = withHistory(live[index], historyByLine.get(row.id), limits, day);
      const health = row.node.healthState;
      return {
        id: row.id,
        phoneNumber: row.phoneNumber,
        appleId: row.appleId,
        nodeId: row.nodeId,
        admin: row.admin,
        reputation: row.reputation,
        reputationReason: row.reputationReason,
        health,
        assignable: isAssignable(row, health, usage.newContactCap - usage.newContacts),
        sendable: isSendable(row, health),
        limits: overrides,
        effectiveLimits: limits,
        usage,
        contacts: contactCounts.get(row.id) ?? 0,
        waiting: waitingCounts.get(row.id) ?? 0,
        warmupStartedAt: row.warmupStartedAt.toISOString(),
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      };
    });
  }

  /** The governor's figures per row (same order); all undefined when Redis cannot be read. */
  private async liveUsage(rows: LineRow[], now: Date): Promise<(LineUsage | undefined)[]> {
    try {
      const lines = rows.map((row) => ({
        id: row.id,
        admin: row.admin,
        reputation: row.reputation,
        health: row.node.healthState,
        warmupStartedAt: row.warmupStartedAt,
        limits: storedOverrides(row.limits),
      }));
      return await this.governor.usageMany(lines, now);
    } catch (error) {
      this.logger.warn(`live line usage unavailable, showing the stored history: ${(error as Error).message}`);
      return rows.map(() => undefined);
    }
  }
}

/** Live counters, unless Redis has nothing for a day Postgres has history of. */
function withHistory(live: LineUsage | undefined, history: DayHistory | undefined, limits: Limits, day: string): LineUsage {
  const liveIsEmpty = !live || (live.sent === 0 && live.newContacts === 0 && live.inbound === 0);
  if (live && (!liveIsEmpty || !history)) return live;
  const stored = history ?? { sent: 0, newContacts: 0, inbound: 0 };
  // Without Redis the warm-up caps are unknown here; the live figures carry them when they exist.
  const cap = live?.cap ?? limits.dailyCap;
  return {
    day: live?.day ?? day,
    sent: stored.sent,
    cap,
    newContacts: stored.newContacts,
    newContactCap: live?.newContactCap ?? limits.dailyNewContacts,
    inbound: stored.inbound,
    ratio: stored.inbound === 0 ? null : Math.round((stored.sent / stored.inbound) * 100) / 100,
    remaining: Math.max(0, cap - stored.sent),
  };
}
