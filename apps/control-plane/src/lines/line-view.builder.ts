import { Inject, Injectable } from '@nestjs/common';
import { LimitOverrides, effectiveLimits } from '@bridgefleet/contracts/limits.schema.js';
import type { LineView } from '@bridgefleet/contracts/fleet.schema.js';
import { governorDay } from '@bridgefleet/policy/governor-day.js';
import { isAssignable, isSendable } from '@bridgefleet/policy/line-lifecycle.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { FleetSettingsService } from '../settings/fleet-settings.service.js';
import { LineRepository, type LineRow } from './line.repository.js';

/** Stored overrides, read leniently: an override that no longer validates falls back to the default. */
export function storedOverrides(value: unknown): LimitOverrides {
  const parsed = LimitOverrides.safeParse(value);
  return parsed.success ? parsed.data : {};
}

/** Turns line rows into API views with today's usage (from line_daily_usage) and contact counts. */
@Injectable()
export class LineViewBuilder {
  constructor(
    private readonly lines: LineRepository,
    private readonly settings: FleetSettingsService,
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
    const [usageRows, contactCounts] = await Promise.all([this.lines.usageOn(ids, day), this.lines.contactCounts(ids)]);
    const usageByLine = new Map(usageRows.map((usage) => [usage.lineId, usage]));
    return rows.map((row) => {
      const overrides = storedOverrides(row.limits);
      const limits = effectiveLimits(fleet.limits, overrides);
      const usage = usageByLine.get(row.id) ?? { sent: 0, newContacts: 0, inbound: 0 };
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
        assignable: isAssignable(row, health, limits.dailyNewContacts - usage.newContacts),
        sendable: isSendable(row, health),
        limits: overrides,
        effectiveLimits: limits,
        usage: {
          day,
          sent: usage.sent,
          cap: limits.dailyCap,
          newContacts: usage.newContacts,
          newContactCap: limits.dailyNewContacts,
          inbound: usage.inbound,
          ratio: usage.inbound === 0 ? null : Math.round((usage.sent / usage.inbound) * 100) / 100,
          remaining: Math.max(0, limits.dailyCap - usage.sent),
        },
        contacts: contactCounts.get(row.id) ?? 0,
        warmupStartedAt: row.warmupStartedAt.toISOString(),
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      };
    });
  }
}
