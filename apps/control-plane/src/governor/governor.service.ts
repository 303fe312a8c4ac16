import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { effectiveLimits, type LimitOverrides } from '@bridgefleet/contracts/limits.schema.js';
import { dayWindow } from '@bridgefleet/policy/governor/day-window.js';
import { planGate, type GatePlan } from '@bridgefleet/policy/governor/gate-plan.js';
import { governorDay } from '@bridgefleet/policy/governor-day.js';
import type { FleetSettings } from '@bridgefleet/contracts/fleet-settings.schema.js';
import type { GateReason, GateRequest, GovernorPolicy, LineGateState } from '@bridgefleet/policy/governor/gate-types.js';
import type { GovernorTuning } from '@bridgefleet/policy/governor/governor-tuning.js';
import { drawJitterMs } from '@bridgefleet/policy/governor/pacing.js';
import { bucketsInWindow, displayRatio, windowTotals } from '@bridgefleet/policy/governor/ratio.js';
import { assessResponseRate, type ResponseRateVerdict } from '@bridgefleet/policy/governor/response-rate.js';
import { isSendable, type AdminState, type HealthState, type ReputationState } from '@bridgefleet/policy/line-lifecycle.js';
import { FleetSettingsService } from '../settings/fleet-settings.service.js';
import { GovernorRepository, type DayCounters, type GateLine, type Reservation } from './governor.repository.js';
import { LineUsageRepository } from './line-usage.repository.js';
import { GOVERNOR_RANDOM, GOVERNOR_TUNING } from './governor.tokens.js';

/** A line as the governor needs it: the row's conditions and overrides, and its node's health. */
export interface GovernedLine {
  id: string;
  admin: AdminState;
  reputation: ReputationState;
  health: HealthState;
  warmupStartedAt: Date;
  /** The line's own overrides; unset fields fall back to the fleet defaults. */
  limits?: LimitOverrides;
}

export type AcquireResult =
  { allow: true; reservation: Reservation; nextSendAt: Date } | { allow: false; reason: GateReason; waitUntil: Date };

/** The shape of `usage` in GET /v1/lines/:id (API.md). */
export interface LineUsage {
  day: string;
  sent: number;
  cap: number;
  newContacts: number;
  newContactCap: number;
  inbound: number;
  /** Outbound per inbound over the ratio window the governor enforces; null with no inbound. */
  ratio: number | null;
  remaining: number;
}

/**
 * The anti-spam governor: may this line send this message now? Decisions and counter
 * changes happen in one atomic Redis script per call, so caps hold exactly across workers
 * and replicas. A held message gets a reason and a time to ask again; nothing is dropped.
 */
@Injectable()
export class GovernorService {
  constructor(
    private readonly counters: GovernorRepository,
    private readonly usageHistory: LineUsageRepository,
    private readonly fleet: FleetSettingsService,
    @Inject(GOVERNOR_TUNING) private readonly tuning: GovernorTuning,
    @Inject(GOVERNOR_RANDOM) private readonly random: () => number,
  ) {}

  async tryAcquire(line: GovernedLine, request: GateRequest, now: Date): Promise<AcquireResult> {
    const policy = await this.policyFor(line);
    const plan = planGate(line.warmupStartedAt, policy, now);
    const nextJitterMs = drawJitterMs(plan.gapMs, this.tuning.pacingJitterFraction, this.random);
    const reservationId = randomUUID();
    const verdict = await this.counters.gateAndConsume({ line: gateLine(line), reservationId, request, policy, plan, nextJitterMs, now });
    if (!verdict.allow) return verdict;
    return {
      allow: true,
      reservation: {
        lineId: line.id,
        id: reservationId,
        contact: request.contact,
        day: plan.window.day,
        hour: plan.hour,
        newContact: request.newContact,
      },
      nextSendAt: new Date(now.getTime() + plan.gapMs + nextJitterMs),
    };
  }

  async recordInbound(lineId: string, contact: string, now: Date): Promise<void> {
    const fleet = await this.fleet.get();
    const window = dayWindow(now, fleet.timeZone, fleet.dayResetTime);
    await this.counters.recordInbound(lineId, contact, window, this.tuning.responseRateWindowMs, now);
  }

  /** Give back a reservation whose send failed before reaching Apple. Safe to call twice. */
  async release(reservation: Reservation): Promise<boolean> {
    return this.counters.release(reservation);
  }

  async usage(line: GovernedLine, now: Date): Promise<LineUsage> {
    const policy = await this.policyFor(line);
    const plan = planGate(line.warmupStartedAt, policy, now);
    const state = await this.counters.readState(gateLine(line), '', policy, plan, now);
    return lineUsage(policy, plan, state, now);
  }

  /**
   * `usage` for a page of lines: the fleet settings read once, one plan per distinct
   * (limits, warm-up day) instead of per line (the time-zone arithmetic is the costly
   * part), and the counters of every line in one Redis pipeline.
   */
  async usageMany(lines: GovernedLine[], now: Date): Promise<LineUsage[]> {
    const fleet = await this.fleet.get();
    const plans = new Map<string, { policy: GovernorPolicy; plan: GatePlan }>();
    const planned = lines.map((line) => {
      const key = `${governorDay(line.warmupStartedAt, fleet.timeZone, fleet.dayResetTime)}|${JSON.stringify(line.limits ?? {})}`;
      let entry = plans.get(key);
      if (!entry) {
        const policy = this.policyFrom(fleet, line);
        entry = { policy, plan: planGate(line.warmupStartedAt, policy, now) };
        plans.set(key, entry);
      }
      return entry;
    });
    const day = planned[0]?.plan.window.day ?? '';
    const counters = await this.counters.usageCounters(
      lines.map((line) => line.id),
      day,
    );
    return planned.map(({ policy, plan }, index) => lineUsage(policy, plan, counters[index]!, now));
  }

  /** First-contact response rate: the reputation updater throttles or unthrottles on `throttle`. */
  async responseRate(line: GovernedLine, now: Date): Promise<ResponseRateVerdict> {
    const policy = await this.policyFor(line);
    const plan = planGate(line.warmupStartedAt, policy, now);
    const state = await this.counters.readState(gateLine(line), '', policy, plan, now);
    return assessResponseRate(state.firstContacts, this.tuning);
  }

  /**
   * Copies the line's counters for the governor day containing `at` into line_daily_usage.
   * Call it after sends and inbound (or from a periodic flush, including yesterday's day
   * once after the reset); it is idempotent.
   */
  async persistDay(lineId: string, at: Date): Promise<void> {
    const fleet = await this.fleet.get();
    const { day } = dayWindow(at, fleet.timeZone, fleet.dayResetTime);
    await this.usageHistory.upsertDay(lineId, day, await this.counters.dayCounters(lineId, day));
  }

  /**
   * After Redis lost data, raises today's counters from PostgreSQL so the daily caps keep
   * holding: sends from the message history (exact), new contacts and inbound from
   * line_daily_usage (flushed every few seconds, so at most that much behind).
   */
  async reseedToday(lineId: string, now: Date): Promise<void> {
    const fleet = await this.fleet.get();
    const window = dayWindow(now, fleet.timeZone, fleet.dayResetTime);
    const stored = await this.usageHistory.day(lineId, window.day);
    const sent = await this.usageHistory.sentSince(lineId, window.start);
    await this.counters.seedDay(
      lineId,
      window.day,
      { sent: Math.max(sent, stored?.sent ?? 0), newContacts: stored?.newContacts ?? 0, inbound: stored?.inbound ?? 0 },
      2 * 86_400_000,
    );
  }

  private async policyFor(line: GovernedLine): Promise<GovernorPolicy> {
    return this.policyFrom(await this.fleet.get(), line);
  }

  private policyFrom(fleet: FleetSettings, line: GovernedLine): GovernorPolicy {
    return {
      limits: effectiveLimits(fleet.limits, line.limits),
      timeZone: fleet.timeZone,
      dayResetTime: fleet.dayResetTime,
      tuning: this.tuning,
    };
  }
}

function gateLine(line: GovernedLine): GateLine {
  return {
    id: line.id,
    sendable: isSendable(line, line.health),
    reputation: line.reputation,
    warmupStartedAt: line.warmupStartedAt,
  };
}

function lineUsage(
  policy: GovernorPolicy,
  plan: GatePlan,
  { today, hourBuckets }: { today: DayCounters; hourBuckets: LineGateState['hourBuckets'] },
  now: Date,
): LineUsage {
  const window = windowTotals(bucketsInWindow(hourBuckets, policy.limits.ratioWindowHours, now));
  return {
    day: plan.window.day,
    sent: today.sent,
    cap: plan.caps.dailyCap,
    newContacts: today.newContacts,
    newContactCap: plan.caps.dailyNewContacts,
    inbound: today.inbound,
    ratio: displayRatio(window.sent, window.inbound),
    remaining: Math.max(0, plan.caps.dailyCap - today.sent),
  };
}
