import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AGENT_SIGNATURE_HEADERS, type AgentEvent } from '@bridgefleet/contracts/agent.schema.js';
import { signAgentBody } from '@bridgefleet/contracts/agent-signature.js';
import { spawnAgent, startTcpRelay, startTestFleet } from '@bridgefleet/testing/agents.js';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';

const db = new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 2 });
const storedEvents = async (nodeId: string) =>
  (await db.query<{ id: string; type: string }>('SELECT id, type FROM agent_events WHERE node_id = $1', [nodeId])).rows;

async function registerNode(cp: TestControlPlane, agentUrl = 'http://127.0.0.1:9/agent') {
  const agentToken = `tok-${randomUUID()}`;
  const created = await cp.admin.post('/v1/nodes', { name: `events-${randomUUID().slice(0, 8)}`, agentUrl, agentToken });
  expect(created.status).toBe(201);
  return { nodeId: created.body.id as string, agentToken };
}

function signedPost(cp: TestControlPlane, nodeId: string, token: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  return cp.client().request('POST', '/v1/agent/events', body, {
    'content-type': 'application/json',
    [AGENT_SIGNATURE_HEADERS.node]: nodeId,
    [AGENT_SIGNATURE_HEADERS.timestamp]: String(timestamp),
    [AGENT_SIGNATURE_HEADERS.signature]: signAgentBody(token, timestamp, body),
  });
}

const received = (from = '+12065551234'): AgentEvent => ({
  id: randomUUID(),
  type: 'message.received',
  at: new Date().toISOString(),
  from,
  body: 'hello',
});

afterAll(async () => {
  await db.end();
});

describe('POST /v1/agent/events', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane();
  });
  afterAll(async () => {
    await cp?.close();
  });

  it('accepts a signed batch and processes each event id once', async () => {
    const { nodeId, agentToken } = await registerNode(cp);
    const events = [
      received(),
      { id: randomUUID(), type: 'message.sent', at: new Date().toISOString(), messageId: randomUUID(), providerId: 'p-1' },
    ];
    const body = JSON.stringify({ events });
    const first = await signedPost(cp, nodeId, agentToken, body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ accepted: 2, duplicates: 0 });

    const replayed = await signedPost(cp, nodeId, agentToken, JSON.stringify({ events: [...events, events[0]] }));
    expect(replayed.body).toEqual({ accepted: 0, duplicates: 3 });
    expect((await storedEvents(nodeId)).map((row) => row.id).sort()).toEqual(events.map((event) => event.id).sort());
  });

  it('refuses a bad signature, a stale timestamp, an unknown node or a missing header with 401, storing nothing', async () => {
    const { nodeId, agentToken } = await registerNode(cp);
    const body = JSON.stringify({ events: [received()] });
    const stale = Math.floor(Date.now() / 1000) - 600;
    const attempts = [
      await signedPost(cp, nodeId, 'not-the-token', body),
      await signedPost(cp, nodeId, agentToken, body, stale),
      await signedPost(cp, randomUUID(), agentToken, body),
      await signedPost(cp, nodeId, agentToken, body.replace('hello', 'HELLO')),
    ];
    // Signed for one body, sent with another.
    const tampered = await cp.client().request('POST', '/v1/agent/events', body.replace('hello', 'bye'), {
      'content-type': 'application/json',
      [AGENT_SIGNATURE_HEADERS.node]: nodeId,
      [AGENT_SIGNATURE_HEADERS.timestamp]: String(Math.floor(Date.now() / 1000)),
      [AGENT_SIGNATURE_HEADERS.signature]: signAgentBody(agentToken, Math.floor(Date.now() / 1000), body),
    });
    const unsigned = await cp.client().post('/v1/agent/events', JSON.parse(body));
    for (const response of [...attempts.slice(0, 3), tampered, unsigned]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(attempts[3]!.status).toBe(200);
    expect(await storedEvents(nodeId)).toHaveLength(1);
  });

  it('validates a signed batch against the event schema', async () => {
    const { nodeId, agentToken } = await registerNode(cp);
    const bad = await signedPost(cp, nodeId, agentToken, JSON.stringify({ events: [{ id: 'x', type: 'message.exploded', at: 'now' }] }));
    expect(bad.status).toBe(400);
    expect(await storedEvents(nodeId)).toHaveLength(0);
  });
});

describe('agent events survive a control-plane outage', () => {
  it('an agent started while the control plane is unreachable, killed, and pointed at a restarted control plane loses nothing', async () => {
    const relay = await startTcpRelay();
    await relay.point(undefined);
    let cp = await startControlPlane();
    const { nodeId, agentToken } = await registerNode(cp);
    const env = {
      CONTROL_PLANE_URL: relay.url,
      AGENT_NODE_ID: nodeId,
      AGENT_OUTBOX_BASE_BACKOFF_MS: '50',
      AGENT_OUTBOX_MAX_BACKOFF_MS: '300',
      SIM_DELIVERY_DELAY_MS: '600000',
    };
    let agent = await spawnAgent({ token: agentToken, env });
    try {
      // 1. The control plane is unreachable from the agent's start.
      for (const n of [1, 2])
        expect((await agent.sim.post('/sim/inbound', { from: `+1206555100${n}`, body: `early ${n}` })).status).toBe(202);
      const sent = await agent.client.post('/v1/send', { messageId: randomUUID(), to: '+12065551003', body: 'out' });
      expect(sent.body.state).toBe('sent');
      expect(await storedEvents(nodeId)).toHaveLength(0);

      // 2. It comes up: the backlog arrives.
      await relay.point(cp.baseUrl);
      await vi.waitFor(async () => expect(await storedEvents(nodeId)).toHaveLength(3), { timeout: 20_000, interval: 100 });

      // 3. It goes down; events keep coming; the agent itself is killed meanwhile.
      await relay.point(undefined);
      await cp.close();
      for (const n of [4, 5]) await agent.sim.post('/sim/inbound', { from: `+1206555100${n}`, body: `during ${n}` });
      await agent.kill('SIGKILL');
      agent = await spawnAgent({ token: agentToken, dataDir: agent.dataDir, env });
      await agent.sim.post('/sim/inbound', { from: '+12065551006', body: 'after restart' });

      // 4. A new control plane (another port, same database): everything arrives, once.
      cp = await startControlPlane();
      await relay.point(cp.baseUrl);
      await vi.waitFor(async () => expect(await storedEvents(nodeId)).toHaveLength(6), { timeout: 20_000, interval: 100 });
      const rows = await storedEvents(nodeId);
      expect(rows.filter((row) => row.type === 'message.received')).toHaveLength(5);
      expect(rows.filter((row) => row.type === 'message.sent')).toHaveLength(1);
      await vi.waitFor(async () => expect((await agent.client.get('/health')).status).toBe(200));
    } finally {
      await agent.kill();
      await cp.close();
      await relay.close();
    }
  });
});

describe('simulated fleet', () => {
  it('registers nodes and lines idempotently and posts each node’s events signed with its own credential', async () => {
    const cp = await startControlPlane();
    const namePrefix = `fleet-${randomUUID().slice(0, 6)}`;
    const firstNumber = `+1206${3000000 + Math.floor(Math.random() * 900_000)}`;
    const options = { count: 3, controlPlaneUrl: cp.baseUrl, apiKey: cp.adminKey, namePrefix, firstNumber };
    let fleet = await startTestFleet(options);
    try {
      const ids = fleet.nodes.map((node) => node.nodeId);
      expect(ids.every(Boolean)).toBe(true);
      await fleet.close();

      fleet = await startTestFleet(options);
      expect(fleet.nodes.map((node) => node.nodeId)).toEqual(ids);
      const node = await cp.admin.get(`/v1/nodes/${ids[1]}`);
      expect(node.body).toMatchObject({ name: `${namePrefix}-2`, agentUrl: `${fleet.url}/nodes/2` });
      const lines = await cp.admin.get(`/v1/lines?nodeId=${ids[1]}`);
      expect(lines.body.items).toHaveLength(1);

      const second = fleet.nodes[1]!;
      const health = await fetch(`${second.agentUrl}/health`, { headers: { authorization: `Bearer ${second.agentToken}` } });
      expect(health.status).toBe(200);
      expect((await fetch(`${fleet.url}/nodes/1/health`, { headers: { authorization: `Bearer ${second.agentToken}` } })).status).toBe(401);
      expect(
        (
          await fetch(`${second.agentUrl}/sim/inbound`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"from":"+12065557777","body":"hi"}',
          })
        ).status,
      ).toBe(202);
      await vi.waitFor(async () => expect((await storedEvents(second.nodeId!)).map((row) => row.type)).toEqual(['message.received']), {
        timeout: 10_000,
        interval: 100,
      });
      expect(await storedEvents(ids[0]!)).toHaveLength(0);
    } finally {
      await fleet.close();
      await cp.close();
    }
  });
});
