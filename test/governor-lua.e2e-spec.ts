import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideGate } from '@bridgefleet/policy/governor/decide-gate.js';
import { planGate } from '@bridgefleet/policy/governor/gate-plan.js';
import type { GovernorPolicy } from '@bridgefleet/policy/governor/gate-types.js';
import { drawJitterMs } from '@bridgefleet/policy/governor/pacing.js';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { createLine, createNode } from '@bridgefleet/testing/fleet-fixtures.js';
import {
  CASE_LIMITS,
  caseLine,
  casePolicy,
  caseRequest,
  foldHistory,
  GATE_CASES,
  type GateCase,
} from '@bridgefleet/testing/governor-cases.js';
import { TEST_REDIS_URL } from '@bridgefleet/testing/services.js';
import { GovernorRepository } from '../apps/control-plane/src/governor/governor.repository.js';
import { GovernorService } from '../apps/control-plane/src/governor/governor.service.js';

// Our own prefix inside the run's, so nothing here meets another file's keys.
const prefix = `${process.env.TEST_REDIS_PREFIX ?? 'bftest'}gov${randomBytes(3).toString('hex')}`;
const half = () => 0.5;

/** History events really happen through the scripts, under limits that let all of them through. */
async function replay(repo: GovernorRepository, lineId: string, gateCase: GateCase): Promise<void> {
  const policy = casePolicy(gateCase);
  const open: GovernorPolicy = {
    ...policy,
    limits: {
      ...CASE_LIMITS,
      dailyCap: 100_000,
      dailyNewContacts: 10_000,
      hourlyNewContacts: 10_000,
      minGapSeconds: 0,
      maxUnanswered: 1_000,
      ratioMinSample: 100_000,
      ratioWindowHours: policy.limits.ratioWindowHours,
    },
    tuning: { ...policy.tuning, loopMaxSends: 100_000, responseRateMinSample: 100_000 },
  };
  const line = { id: lineId, sendable: true, reputation: 'good' as const, warmupStartedAt: new Date('2025-01-01T00:00:00Z') };
  for (const event of gateCase.history ?? []) {
    const now = new Date(event.at);
    if ('send' in event) {
      const verdict = await repo.gateAndConsume({
        line,
        reservationId: randomUUID(),
        request: { contact: event.send, newContact: event.newContact ?? false, contactWroteRecently: true, unanswered: 0 },
        policy: open,
        plan: planGate(line.warmupStartedAt, open, now),
        nextJitterMs: event.jitterMs ?? 0,
        now,
      });
      expect(verdict, `history send at ${event.at}`).toEqual({ allow: true });
    } else {
      const plan = planGate(line.warmupStartedAt, open, now);
      await repo.recordInbound(lineId, event.inbound, plan.window, open.tuning.responseRateWindowMs, now);
    }
  }
}

describe('governor Lua scripts on a real Redis', () => {
  const clients: Redis[] = [];
  let repo: GovernorRepository;
  beforeAll(() => {
    clients.push(...Array.from({ length: 5 }, () => new Redis(TEST_REDIS_URL)));
    repo = new GovernorRepository(clients[0]!, prefix);
  });
  afterAll(() => {
    for (const client of clients) client.disconnect();
  });

  it.each(GATE_CASES.map((gateCase) => [gateCase.name, gateCase] as const))('same decision as decideGate: %s', async (_, gateCase) => {
    const lineId = randomUUID();
    await replay(repo, lineId, gateCase);
    const policy = casePolicy(gateCase);
    const request = caseRequest(gateCase);
    const now = new Date(gateCase.now);
    const line = { id: lineId, ...caseLine(gateCase) };
    const plan = planGate(line.warmupStartedAt, policy, now);

    // The script's own reading of the counters equals the model of what it stores.
    const stored = await repo.readState(line, request.contact, policy, plan, now);
    const model = foldHistory(gateCase);
    expect(stored.today).toEqual(model.today);
    expect(stored.firstContacts).toEqual(model.firstContacts);
    expect(stored.pair.unanswered).toBe(model.pair.unanswered);

    const pure = decideGate(stored, policy, request, now, half);
    const lua = await repo.gateAndConsume({
      line,
      reservationId: randomUUID(),
      request,
      policy,
      plan,
      nextJitterMs: drawJitterMs(plan.gapMs, policy.tuning.pacingJitterFraction, half),
      now,
    });
    expect(lua).toEqual(pure.allow ? { allow: true } : pure);
    if ('allow' in gateCase.expected) expect(lua.allow).toBe(true);
    else expect(lua).toEqual({ allow: false, reason: gateCase.expected.reason, waitUntil: new Date(gateCase.expected.waitUntil) });
  });

  it('lets exactly 10 of 50 parallel sends through a cap of 10, from 5 connections', async () => {
    const lineId = randomUUID();
    const policy: GovernorPolicy = {
      ...casePolicy({ name: '', now: '', expected: { allow: true } }),
      limits: { ...CASE_LIMITS, dailyCap: 10, minGapSeconds: 0, ratioMinSample: 100_000 },
    };
    const now = new Date('2026-03-10T12:00:00Z');
    const line = { id: lineId, sendable: true, reputation: 'good' as const, warmupStartedAt: new Date('2025-01-01T00:00:00Z') };
    const repos = clients.map((client) => new GovernorRepository(client, prefix));
    const verdicts = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        repos[i % repos.length]!.gateAndConsume({
          line,
          reservationId: randomUUID(),
          request: { contact: `p${i}`, newContact: false, contactWroteRecently: false, unanswered: 0 },
          policy,
          plan: planGate(line.warmupStartedAt, policy, now),
          nextJitterMs: 0,
          now,
        }),
      ),
    );
    expect(verdicts.filter((verdict) => verdict.allow)).toHaveLength(10);
    expect(verdicts.filter((verdict) => !verdict.allow && verdict.reason === 'daily_cap')).toHaveLength(40);
    expect((await repo.dayCounters(lineId, '2026-03-10')).sent).toBe(10);
  });
});

describe('GovernorService in a running control plane', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane();
  });
  afterAll(async () => {
    await cp?.close();
  });

  it('acquires, releases once, counts inbound, and persists the day to line_daily_usage', async () => {
    const node = await createNode(cp);
    const created = await createLine(cp, node.id, { limits: { dailyCap: 3, warmupDays: 0, minGapSeconds: 0 } });
    const governor = cp.app.get(GovernorService);
    const line = {
      id: created.id,
      admin: 'active' as const,
      reputation: 'good' as const,
      health: 'healthy' as const,
      warmupStartedAt: new Date(0),
      limits: { dailyCap: 3, warmupDays: 0, minGapSeconds: 0, ratioMinSample: 1000 },
    };
    const now = new Date();
    const ask = (contact: string) =>
      governor.tryAcquire(line, { contact, newContact: true, contactWroteRecently: false, unanswered: 0 }, now);

    const first = await ask('+15550000001');
    expect(first.allow).toBe(true);
    if (!first.allow) return;
    expect(await governor.release(first.reservation)).toBe(true);
    expect(await governor.release(first.reservation)).toBe(false);
    for (const contact of ['+15550000002', '+15550000003', '+15550000004']) expect((await ask(contact)).allow).toBe(true);
    const held = await ask('+15550000005');
    expect(held).toMatchObject({ allow: false, reason: 'daily_cap' });

    await governor.recordInbound(line.id, '+15550000002', now);
    const usage = await governor.usage(line, now);
    expect(usage).toMatchObject({ sent: 3, cap: 3, newContacts: 3, inbound: 1, ratio: 3, remaining: 0 });

    await governor.persistDay(line.id, now);
    const view = await cp.admin.get(`/v1/lines/${line.id}`);
    expect(view.body.usage).toMatchObject({ day: usage.day, sent: 3, newContacts: 3, inbound: 1 });
  });
});
