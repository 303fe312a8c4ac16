import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnAgent, startTcpRelay, type AgentProcess, type TcpRelay } from '@bridgefleet/testing/agents.js';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { waitFor } from '@bridgefleet/testing/eventually.js';
import { createLine, createNode } from '@bridgefleet/testing/fleet-fixtures.js';
import { startHealthAgentStub, type HealthAgentStub } from '@bridgefleet/testing/health-agent-stub.js';
import { TEST_PG_ADMIN_URL } from '@bridgefleet/testing/services.js';
import { NodeSendability } from '../apps/control-plane/src/health/node-sendability.service.js';
import { StormGuardService as StormGuard } from '../apps/control-plane/src/health/storm-guard.service.js';

// Real time is unavoidable here (real HTTP peers going away); a short interval keeps it quick.
// missesToUnreachable 3 and goodToRecover 2 are the fleet defaults.
const INTERVAL_MS = 300;
const MISSES = 3;
const GOOD_TO_RECOVER = 2;
// Scheduling on a busy 2-core CI box: the tick (10 ms), the DB write and our own polling of the API.
const SLACK_MS = 250;

/**
 * A real node agent (sim driver, its own process) behind a TCP relay on a fixed port, so
 * the node's agent URL stays the same when the agent is killed and started again.
 */
interface SimMac {
  relay: TcpRelay;
  agent: AgentProcess;
}

async function startSimMac(): Promise<SimMac> {
  const agent = await spawnAgent();
  const relay = await startTcpRelay();
  await relay.point(agent.url);
  return { relay, agent };
}

async function killSimMac(mac: SimMac): Promise<void> {
  await mac.agent.kill('SIGKILL');
}

async function restartSimMac(mac: SimMac): Promise<void> {
  mac.agent = await spawnAgent({ dataDir: mac.agent.dataDir, token: mac.agent.token });
  await mac.relay.point(mac.agent.url);
}

describe('health poller (control plane + 3 sim agents)', () => {
  // Its own database and Redis prefix: the storm guard counts the whole fleet, so nodes other files registered must not count.
  const database = `bridgefleet_health_${randomBytes(4).toString('hex')}`;
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${database}`;
  const env = {
    DATABASE_URL: url.toString(),
    MIGRATE_ON_START: 'true',
    REDIS_PREFIX: `bfhealth${randomBytes(3).toString('hex')}`,
    HEALTH_POLL_INTERVAL_MS: String(INTERVAL_MS),
  };
  let cp: TestControlPlane;
  const macs: SimMac[] = [];
  const nodes: Array<{ id: string; lineId: string }> = [];

  const nodeHealth = async (id: string) => (await cp.admin.get(`/v1/nodes/${id}`)).body.health;

  beforeAll(async () => {
    cp = await startControlPlane(env);
    macs.push(...(await Promise.all([startSimMac(), startSimMac(), startSimMac()])));
    for (const mac of macs) {
      const node = await createNode(cp, { agentUrl: mac.relay.url, agentToken: mac.agent.token });
      const line = await createLine(cp, node.id);
      nodes.push({ id: node.id, lineId: line.id });
    }
    for (const node of nodes)
      await waitFor(
        () => nodeHealth(node.id),
        (health) => health.state === 'healthy',
      );
  });

  afterAll(async () => {
    await cp?.close();
    for (const mac of macs) {
      await mac.agent.kill();
      await mac.relay.close();
    }
    const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    await admin.end();
  });

  it("shows each node healthy with the agent's validated last report", async () => {
    const health = await nodeHealth(nodes[0]!.id);
    expect(health).toMatchObject({ state: 'healthy', consecutiveFailures: 0, lastReport: { driver: 'sim', messagesAppRunning: true } });
    expect(Date.parse(health.lastCheckedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await cp.app.get(NodeSendability).isNodeSendable(nodes[0]!.id)).toBe(true);
  });

  it('a killed agent is unreachable within 3 intervals, its line paused; back after M good reports', async () => {
    const [mac, node] = [macs[0]!, nodes[0]!];
    await killSimMac(mac);
    const killedAt = Date.now();
    await waitFor(
      () => nodeHealth(node.id),
      (health) => health.state === 'unreachable',
      5_000,
    );
    expect(Date.now() - killedAt).toBeLessThanOrEqual(MISSES * INTERVAL_MS + SLACK_MS);
    expect((await nodeHealth(node.id)).consecutiveFailures).toBeGreaterThanOrEqual(MISSES);

    const audit = await cp.admin.get(`/v1/audit?targetId=${node.id}&action=node.health`);
    expect(audit.body.items[0]).toMatchObject({ actor: 'system:health-poller', detail: { from: 'healthy', to: 'unreachable' } });
    expect(audit.body.items[0].reason).toMatch(/^missed 3 consecutive probes/);

    expect(await cp.app.get(NodeSendability).isNodeSendable(node.id)).toBe(false);
    expect((await cp.admin.get(`/v1/lines/${node.lineId}`)).body).toMatchObject({ health: 'unreachable', sendable: false });
    // One node of three is no storm.
    expect((await cp.client().get('/readyz')).body.detail.stormGuard.active).toBe(false);

    await restartSimMac(mac);
    await waitFor(
      () => nodeHealth(node.id),
      (health) => health.state === 'healthy',
      10_000,
    );
    const recovered = (await cp.admin.get(`/v1/audit?targetId=${node.id}&action=node.health`)).body.items[0];
    expect(recovered).toMatchObject({
      detail: { from: 'unreachable', to: 'healthy' },
      reason: `recovered after ${GOOD_TO_RECOVER} good reports`,
    });
    expect(await cp.app.get(NodeSendability).isNodeSendable(node.id)).toBe(true);
    expect((await cp.admin.get(`/v1/lines/${node.lineId}`)).body).toMatchObject({ health: 'healthy', sendable: true });
  });

  it('storm: 2 of 3 unreachable within the window freezes automatic actions (readyz detail and metric)', async () => {
    await Promise.all([killSimMac(macs[1]!), killSimMac(macs[2]!)]);
    const ready = await waitFor(
      () => cp.client().get('/readyz'),
      (response) => response.body.detail.stormGuard.active === true,
      8_000,
    );
    expect(ready.body.detail.stormGuard).toMatchObject({ automaticActions: 'frozen' });
    expect(cp.app.get(StormGuard).isStormActive()).toBe(true);
    const metrics = await waitFor(
      async () => (await cp.client().get('/metrics')).text,
      (text) => /bridgefleet_node_health_state\{state="unreachable"[^}]*\} 2/.test(text),
      5_000,
    );
    expect(metrics).toMatch(/bridgefleet_storm_guard_active(\{[^}]*\})? 1/);
    const audit = await cp.admin.get('/v1/audit?action=health.storm.start');
    expect(audit.body.items).toHaveLength(1);

    await Promise.all([restartSimMac(macs[1]!), restartSimMac(macs[2]!)]);
    for (const node of nodes)
      await waitFor(
        () => nodeHealth(node.id),
        (health) => health.state === 'healthy',
      );
  });

  describe('with stub agents that count the probes they get', () => {
    const stubs: HealthAgentStub[] = [];
    const stubNodes: string[] = [];

    beforeAll(async () => {
      for (let i = 0; i < 3; i++) {
        const stub = await startHealthAgentStub();
        stubs.push(stub);
        stubNodes.push((await createNode(cp, { agentUrl: stub.url, agentToken: stub.token })).id);
      }
      for (const id of stubNodes)
        await waitFor(
          () => nodeHealth(id),
          (health) => health.state === 'healthy',
        );
    });

    afterAll(async () => {
      for (const stub of stubs) await stub.close();
    });

    it('an invalid report counts as a miss', async () => {
      const [stub, id] = [stubs[0]!, stubNodes[0]!];
      stub.setReport({ pendingCommands: -1 });
      await waitFor(
        () => nodeHealth(id),
        (health) => health.consecutiveFailures >= 1,
        5_000,
      );
      const metrics = (await cp.client().get('/metrics')).text;
      expect(metrics).toMatch(/bridgefleet_health_probes_total\{result="invalid"[^}]*\} [1-9]/);
      stub.setReport({ pendingCommands: 0 });
      await waitFor(
        () => nodeHealth(id),
        (health) => health.state === 'healthy' && health.consecutiveFailures === 0,
        5_000,
      );
    });

    it('two control planes never probe a node twice in one interval', async () => {
      const second = await startControlPlane({ ...env, MIGRATE_ON_START: 'false' });
      try {
        const from = Date.now();
        const intervals = 12;
        await new Promise((resolve) => setTimeout(resolve, intervals * INTERVAL_MS));
        for (const stub of stubs) {
          const seen = stub.probes.filter((at) => at >= from);
          // At most one probe per interval (plus one for the window's edges), and none twice in quick succession.
          expect(seen.length).toBeLessThanOrEqual(intervals + 1);
          expect(seen.length).toBeGreaterThanOrEqual(intervals - 3);
          const gaps = seen.slice(1).map((at, i) => at - seen[i]!);
          expect(Math.min(...gaps)).toBeGreaterThan(INTERVAL_MS / 2);
        }
        // Both processes did poll: the claim, not one idle poller, is what kept the count down.
        for (const process of [cp, second]) {
          const text = (await process.client().get('/metrics')).text;
          const ok = Number(/bridgefleet_health_probes_total\{result="ok"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
          expect(ok).toBeGreaterThan(0);
        }
      } finally {
        await second.close();
      }
    });
  });
});
