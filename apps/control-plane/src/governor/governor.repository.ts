import type { Redis } from 'ioredis';
import type { DayWindow } from '@bridgefleet/policy/governor/day-window.js';
import type { GatePlan } from '@bridgefleet/policy/governor/gate-plan.js';
import type { GateReason, GateRequest, GovernorPolicy, LineGateState } from '@bridgefleet/policy/governor/gate-types.js';
import type { ReputationState } from '@bridgefleet/policy/line-lifecycle.js';
import { HOUR_MS, hourOf } from '@bridgefleet/policy/governor/ratio.js';
import { defineGovernorScripts, type GovernorRedis } from './governor-scripts.js';
import { GovernorKeys } from './governor-keys.js';

const DAY_MS = 86_400_000;

export interface GateLine {
  id: string;
  sendable: boolean;
  reputation: ReputationState;
  warmupStartedAt: Date;
}

/** What one allowed send consumed; hand it back to release() if the send never reached Apple. */
export interface Reservation {
  lineId: string;
  id: string;
  contact: string;
  day: string;
  hour: number;
  newContact: boolean;
}

export type ScriptVerdict = { allow: true } | { allow: false; reason: GateReason; waitUntil: Date };

export interface DayCounters {
  sent: number;
  newContacts: number;
  inbound: number;
}

/** The governor's counters in Redis: the atomic scripts and the reads behind `usage`. */
export class GovernorRepository {
  private readonly redis: GovernorRedis;

  constructor(
    client: Redis,
    private readonly prefix: string,
    private readonly ready: () => Promise<void> = async () => undefined,
  ) {
    this.redis = defineGovernorScripts(client);
  }

  keys(lineId: string): GovernorKeys {
    return new GovernorKeys(this.prefix, lineId);
  }

  async gateAndConsume(input: {
    line: GateLine;
    reservationId: string;
    request: GateRequest;
    policy: GovernorPolicy;
    plan: GatePlan;
    nextJitterMs: number;
    now: Date;
  }): Promise<ScriptVerdict> {
    await this.ready();
    const { line, request, policy, plan } = input;
    const { limits, tuning } = policy;
    const k = this.keys(line.id);
    const flag = (value: boolean) => (value ? '1' : '0');
    const reply = (await this.redis.governorGateAndConsume(
      k.day(plan.window.day),
      k.newSends,
      k.hours,
      k.firsts,
      k.responded,
      k.pace,
      k.pairSends(request.contact),
      k.pairUnanswered(request.contact),
      k.reservation(input.reservationId),
      input.now.getTime(),
      input.reservationId,
      request.contact,
      flag(line.sendable),
      flag(line.reputation === 'throttled'),
      flag(request.newContact),
      flag(request.contactWroteRecently),
      request.unanswered,
      plan.caps.dailyCap,
      plan.caps.dailyNewContacts,
      plan.caps.hourlyNewContacts,
      String(limits.maxRatio),
      limits.ratioWindowHours,
      limits.ratioMinSample,
      plan.gapMs,
      limits.maxUnanswered,
      tuning.loopMaxSends,
      tuning.loopWindowMs,
      String(tuning.responseRateFloor),
      tuning.responseRateMinSample,
      tuning.responseRateWindowMs,
      tuning.recheckMs,
      plan.window.end.getTime(),
      plan.window.day,
      plan.hour,
      input.nextJitterMs,
    )) as [number, string?, number?];
    if (reply[0] === 1) return { allow: true };
    return { allow: false, reason: reply[1] as GateReason, waitUntil: new Date(Number(reply[2])) };
  }

  async recordInbound(lineId: string, contact: string, window: DayWindow, responseWindowMs: number, now: Date): Promise<void> {
    await this.ready();
    const k = this.keys(lineId);
    await this.redis.governorRecordInbound(
      k.day(window.day),
      k.hours,
      k.firsts,
      k.responded,
      k.pairUnanswered(contact),
      now.getTime(),
      contact,
      hourOf(now),
      window.end.getTime() - now.getTime() + 2 * DAY_MS,
      responseWindowMs,
    );
  }

  async release(reservation: Reservation): Promise<boolean> {
    await this.ready();
    const k = this.keys(reservation.lineId);
    const released = await this.redis.governorRelease(
      k.reservation(reservation.id),
      k.day(reservation.day),
      k.hours,
      k.newSends,
      k.firsts,
      k.pairSends(reservation.contact),
      k.pairUnanswered(reservation.contact),
      reservation.id,
      reservation.contact,
    );
    return released === 1;
  }

  /** Raises a day's counters to at least `floor` (rebuild after Redis lost data). */
  async seedDay(lineId: string, day: string, floor: DayCounters, ttlMs: number): Promise<void> {
    await this.ready();
    await this.redis.governorSeedDay(this.keys(lineId).day(day), floor.sent, floor.newContacts, floor.inbound, ttlMs);
  }

  async dayCounters(lineId: string, day: string): Promise<DayCounters> {
    await this.ready();
    const [sent, newContacts, inbound] = await this.redis.hmget(this.keys(lineId).day(day), 'sent', 'new', 'inbound');
    return { sent: Number(sent ?? 0), newContacts: Number(newContacts ?? 0), inbound: Number(inbound ?? 0) };
  }

  /**
   * What `usage` shows for many lines at once: each line's day counters and ratio-window
   * buckets, read in one pipeline (one round trip for a page of lines, not one per line).
   */
  async usageCounters(lineIds: string[], day: string): Promise<Array<{ today: DayCounters; hourBuckets: LineGateState['hourBuckets'] }>> {
    await this.ready();
    const pipeline = this.redis.pipeline();
    for (const lineId of lineIds) {
      const k = this.keys(lineId);
      pipeline.hmget(k.day(day), 'sent', 'new', 'inbound').hgetall(k.hours);
    }
    const results = (await pipeline.exec()) ?? [];
    return lineIds.map((_, index) => {
      const [dayError, dayFields] = results[index * 2] ?? [null, []];
      const [hoursError, hours] = results[index * 2 + 1] ?? [null, {}];
      if (dayError) throw dayError;
      if (hoursError) throw hoursError;
      const [sent, newContacts, inbound] = dayFields as (string | null)[];
      return {
        today: { sent: Number(sent ?? 0), newContacts: Number(newContacts ?? 0), inbound: Number(inbound ?? 0) },
        hourBuckets: bucketsOf(hours as Record<string, string>),
      };
    });
  }

  /**
   * The counters a gate decision for `contact` would see now, read (not changed) from
   * Redis: for usage figures and for checking the script against decideGate.
   */
  async readState(line: GateLine, contact: string, policy: GovernorPolicy, plan: GatePlan, now: Date): Promise<LineGateState> {
    await this.ready();
    const k = this.keys(line.id);
    const t = now.getTime();
    const after = (windowMs: number) => `(${t - windowMs}`;
    const results = await this.redis
      .multi()
      .hmget(k.day(plan.window.day), 'sent', 'new', 'inbound')
      .zrangebyscore(k.newSends, after(HOUR_MS), '+inf', 'WITHSCORES')
      .hgetall(k.hours)
      .zcount(k.firsts, after(policy.tuning.responseRateWindowMs), '+inf')
      .zcount(k.responded, after(policy.tuning.responseRateWindowMs), '+inf')
      .hmget(k.pace, 'last', 'jitter')
      .zrangebyscore(k.pairSends(contact), after(policy.tuning.loopWindowMs), '+inf', 'WITHSCORES')
      .get(k.pairUnanswered(contact))
      .exec();
    if (!results) throw new Error('governor state read was aborted');
    const value = (index: number) => {
      const [error, result] = results[index] ?? [null, null];
      if (error) throw error;
      return result;
    };
    const day = value(0) as (string | null)[];
    const pace = value(5) as (string | null)[];
    return {
      line: { sendable: line.sendable, reputation: line.reputation, warmupStartedAt: line.warmupStartedAt },
      today: { sent: Number(day[0] ?? 0), newContacts: Number(day[1] ?? 0), inbound: Number(day[2] ?? 0) },
      newContactSends: scoresOf(value(1) as string[]),
      hourBuckets: bucketsOf(value(2) as Record<string, string>),
      firstContacts: { sent: Number(value(3)), responded: Number(value(4)) },
      pacing: { lastSentAt: pace[0] ? new Date(Number(pace[0])) : null, jitterMs: Number(pace[1] ?? 0) },
      pair: { sends: scoresOf(value(6) as string[]), unanswered: Number(value(7) ?? 0) },
    };
  }
}

function scoresOf(withScores: string[]): Date[] {
  return withScores.filter((_, index) => index % 2 === 1).map((score) => new Date(Number(score)));
}

function bucketsOf(fields: Record<string, string>): LineGateState['hourBuckets'] {
  const buckets = new Map<number, { hour: number; sent: number; inbound: number }>();
  for (const [field, count] of Object.entries(fields)) {
    const [kind, hour] = field.split(':');
    const bucket = buckets.get(Number(hour)) ?? { hour: Number(hour), sent: 0, inbound: 0 };
    if (kind === 'o') bucket.sent += Number(count);
    else bucket.inbound += Number(count);
    buckets.set(bucket.hour, bucket);
  }
  return [...buckets.values()];
}
