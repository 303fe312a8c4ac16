import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimFleet } from '../apps/node-agent/src/fleet/sim-fleet.js';
import { startTestFleet } from '@bridgefleet/testing/agents.js';
import { spawnControlPlane, type ControlPlaneProcess } from '@bridgefleet/testing/control-plane-process.js';
import { freshDatabase } from '@bridgefleet/testing/databases.js';
import { eventually } from '@bridgefleet/testing/eventually.js';
import { allSentPerApi, exactlyOnceReport, sentOrderTo, statusesOf } from '@bridgefleet/testing/exactly-once.js';
import { newContact } from '@bridgefleet/testing/pipeline-world.js';

/**
 * A control plane killed with SIGKILL (a real OS process): mid-dispatch, while a Mac is
 * still sending, and between the commit of accepted messages and their hand-off to the
 * queues. The next process resolves the in-flight send by asking the agent
 * (GET /v1/sends/:id) before any resend, relays what was committed, and every message
 * goes out exactly once. Time is real here (separate processes cannot share a ManualClock),
 * so the waits are for real I/O: the sim's send latency and the dispatch lease.
 */
describe('send faults: the control plane is killed with SIGKILL', () => {
  let env: Record<string, string>;
  let plane: ControlPlaneProcess | undefined;
  let fleet: SimFleet;

  beforeAll(async () => {
    env = {
      DATABASE_URL: await freshDatabase(),
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
      REDIS_PREFIX: `bfk${randomUUID().slice(0, 8)}`,
      HEALTH_POLL_INTERVAL_MS: '200',
      RECONCILE_INTERVAL_MS: '300',
      OUTBOX_POLL_MS: '100',
      AGENT_SEND_TIMEOUT_MS: '5000',
      // Longer than a send takes (so a live worker keeps its line), short enough to wait out a dead one.
      DISPATCH_LEASE_MS: '4000',
      AUTO_REMEDIATION_ENABLED: 'false',
    };
    plane = await spawnControlPlane({ env });
    const patch = await plane.admin.patch('/v1/fleet/settings', {
      limits: { minGapSeconds: 0, warmupDays: 0, ratioMinSample: 100_000, maxUnanswered: 1_000 },
    });
    expect(patch.status).toBe(200);
    fleet = await startTestFleet({
      count: 2,
      controlPlaneUrl: plane.baseUrl,
      apiKey: plane.adminKey,
      namePrefix: `kill-${randomUUID().slice(0, 6)}`,
      sim: { SIM_LATENCY_MS: 1_500 },
    });
    await eventually(
      async () => {
        const nodes = (await plane!.admin.get('/v1/nodes?limit=10')).body.items as { health: { state: string } }[];
        return nodes.length === 2 && nodes.every((node) => node.health.state === 'healthy');
      },
      'both nodes healthy',
      { timeoutMs: 30_000 },
    );
  });

  afterAll(async () => {
    await plane?.kill('SIGTERM');
    await fleet?.close();
  });

  const history = () => fleet.nodes.flatMap((node) => node.sim.sent());

  it('loses nothing and doubles nothing across kills mid-send and between commit and enqueue', async () => {
    const first = plane!;
    const talkative = newContact();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await first.admin.post('/v1/messages', { to: talkative, body: `talk ${i}` })).body.id);
    for (let i = 0; i < 3; i += 1) ids.push((await first.admin.post('/v1/messages', { to: newContact(), body: `one ${i}` })).body.id);
    expect(ids.every(Boolean)).toBe(true);

    // Kill -9 while a Mac is in the middle of a send the control plane is waiting on.
    const midSend = await eventually(async () => {
      const statuses = await statusesOf(first.admin, ids);
      return ids.find((id) => statuses.get(id) === 'sending' && fleet.nodes.some((n) => n.agent.lookup(id)?.state === 'pending'));
    }, 'a message in sending while its Mac is still sending it');
    expect(await first.kill('SIGKILL')).toBe('SIGKILL');
    plane = undefined;

    // An API-only process accepts messages (committed with their outbox rows) and dies before any is relayed.
    const apiOnly = await spawnControlPlane({ env: { ...env, ROLES: 'api' }, port: first.port, adminKey: first.adminKey });
    plane = apiOnly;
    const committed: string[] = [];
    committed.push((await apiOnly.admin.post('/v1/messages', { to: talkative, body: 'talk 3' })).body.id);
    for (let i = 0; i < 2; i += 1)
      committed.push((await apiOnly.admin.post('/v1/messages', { to: newContact(), body: `late ${i}` })).body.id);
    expect([...(await statusesOf(apiOnly.admin, committed)).values()]).toEqual(['queued', 'queued', 'queued']);
    expect(await apiOnly.kill('SIGKILL')).toBe('SIGKILL');
    plane = undefined;
    ids.push(...committed);

    // The Mac finished the send after the kill; make the rest quick.
    for (const node of fleet.nodes) node.sim.setFaults({ latencyMs: 5 });
    const next = await spawnControlPlane({ env, port: first.port, adminKey: first.adminKey });
    plane = next;
    await eventually(async () => allSentPerApi(next.admin, ids), 'every accepted message sent', {
      timeoutMs: 45_000,
      intervalMs: 200,
    }).catch(async (error: Error) => {
      // Say where each message is stuck, and what the control plane logged.
      const statuses = Object.fromEntries(await statusesOf(next.admin, ids));
      throw new Error(`${error.message}\nstatuses: ${JSON.stringify(statuses)}\nlog:\n${next.output().slice(-4_000)}`);
    });

    const report = await exactlyOnceReport(next.admin, ids, history());
    expect(report).toEqual({ notSent: [], notOnce: [] });
    expect(sentOrderTo(talkative, history())).toEqual([ids[0], ids[1], ids[2], committed[0]]);
    // The message caught mid-send was settled by asking the agent, not by sending it again.
    const view = (await next.admin.get(`/v1/messages/${midSend}`)).body as { attempts: number };
    expect(view.attempts).toBe(1);
  });
});
