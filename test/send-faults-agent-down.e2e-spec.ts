import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../apps/control-plane/src/clock/clock.js';
import { spawnAgent, startTcpRelay, type AgentProcess, type TcpRelay } from '@bridgefleet/testing/agents.js';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { freshDatabase } from '@bridgefleet/testing/databases.js';
import { eventually } from '@bridgefleet/testing/eventually.js';
import { exactlyOnceReport, sentOrderTo, statusesOf, type SentRecord } from '@bridgefleet/testing/exactly-once.js';
import { newContact } from '@bridgefleet/testing/pipeline-world.js';

const WAITING = ['queued', 'assigned', 'sending'];

/**
 * The one Mac of a fleet goes away (its agent process killed with SIGKILL, nothing listening
 * at its URL). Messages to it wait — never failed, never sent twice — and all go, once and in
 * order, when the agent is back on the same data directory. A TCP relay keeps the node's
 * registered agentUrl fixed while the restarted agent listens on another ephemeral port.
 */
describe('send faults: the agent is down, then back', () => {
  const clock = new ManualClock(Date.now());
  let cp: TestControlPlane;
  let relay: TcpRelay;
  let agent: AgentProcess;
  let agentEnv: Record<string, string>;
  let nodeId: string;

  const tick = () => clock.advance(200);
  const nodeHealth = async () => (await cp.admin.get(`/v1/nodes/${nodeId}`)).body.health.state as string;
  const sentByAgent = async () => (await agent.sim.get('/sim/sent')).body.items as SentRecord[];

  beforeAll(async () => {
    cp = await startControlPlane(
      {
        DATABASE_URL: await freshDatabase(),
        REDIS_PREFIX: `bfa${randomUUID().slice(0, 8)}`,
        HEALTH_POLL_INTERVAL_MS: '200',
        RECONCILE_INTERVAL_MS: '1000',
        AGENT_SEND_TIMEOUT_MS: '2000',
        AUTO_REMEDIATION_ENABLED: 'false',
      },
      { clock },
    );
    const patch = await cp.admin.patch('/v1/fleet/settings', {
      limits: { minGapSeconds: 0, warmupDays: 0, ratioMinSample: 100_000, maxUnanswered: 1_000 },
    });
    expect(patch.status).toBe(200);

    relay = await startTcpRelay();
    const agentToken = `agent-${randomUUID()}`;
    const node = await cp.admin.post('/v1/nodes', { name: `down-${randomUUID().slice(0, 6)}`, agentUrl: relay.url, agentToken });
    expect(node.status).toBe(201);
    nodeId = node.body.id;
    const line = await cp.admin.post('/v1/lines', { phoneNumber: '+12065550142', appleId: 'down@example.com', nodeId });
    expect(line.status).toBe(201);
    agentEnv = { CONTROL_PLANE_URL: cp.baseUrl, AGENT_NODE_ID: nodeId, AGENT_RECONCILE_INTERVAL_MS: '500' };
    agent = await spawnAgent({ token: agentToken, env: agentEnv });
    await relay.point(agent.url);
    await eventually(async () => (await nodeHealth()) === 'healthy', 'the node healthy', { tick, timeoutMs: 30_000 });
  });
  afterAll(async () => {
    await agent?.kill('SIGKILL');
    await cp?.close();
    await relay?.close();
  });

  it('waits while the agent is gone and sends every message once, in order, when it is back', async () => {
    // Pin a contact to the line while all is well.
    const contact = newContact();
    const pinned = (await cp.admin.post('/v1/messages', { to: contact, body: 'before' })).body.id as string;
    await eventually(async () => (await sentByAgent()).some((entry) => entry.messageId === pinned), 'the first message sent', { tick });

    // The Mac goes away: the agent dies and nothing answers at its URL.
    expect(await agent.kill('SIGKILL')).toBe('SIGKILL');
    await relay.point(undefined);

    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await cp.admin.post('/v1/messages', { to: contact, body: `while down ${i}` })).body.id);
    const other = newContact();
    const otherId = (await cp.admin.post('/v1/messages', { to: other, body: 'a new contact while down' })).body.id as string;
    const all = [...ids, otherId];

    await eventually(async () => (await nodeHealth()) === 'unreachable', 'the node seen unreachable', { tick, timeoutMs: 30_000 });
    // Ten minutes of the (manual) clock with the Mac gone — past every send retry backoff the
    // dispatcher would use, within the toleration period after which the contact would be moved.
    // At each step (after the system had a moment to act on it) nothing may have failed.
    for (let step = 0; step < 30; step += 1) {
      clock.advance(20_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const statuses = [...(await statusesOf(cp.admin, all)).values()];
      expect(
        statuses.every((status) => WAITING.includes(status)),
        `step ${step}: ${statuses.join(',')}`,
      ).toBe(true);
    }
    expect(await nodeHealth()).toBe('unreachable');
    // The pinned contact's messages wait on its line (not unrouted): they go as soon as it answers.
    const pinnedStatuses = [...(await statusesOf(cp.admin, ids)).values()];
    expect(
      pinnedStatuses.every((status) => status === 'assigned' || status === 'sending'),
      pinnedStatuses.join(','),
    ).toBe(true);
    const views = await Promise.all(ids.map(async (id) => (await cp.admin.get(`/v1/messages/${id}`)).body));
    expect(views.every((view) => view.history.every((entry: { status: string }) => entry.status !== 'failed'))).toBe(true);

    // The Mac comes back: same data directory (its send ledger), another port behind the same URL.
    agent = await spawnAgent({ token: agent.token, dataDir: agent.dataDir, env: agentEnv });
    await relay.point(agent.url);
    await eventually(async () => (await nodeHealth()) === 'healthy', 'the node healthy again', { tick, timeoutMs: 30_000 });

    await eventually(
      async () => [...(await statusesOf(cp.admin, all)).values()].every((status) => ['sent', 'delivered', 'read'].includes(status)),
      'every waiting message sent',
      { tick: () => clock.advance(1_000), timeoutMs: 60_000 },
    );
    const history = await sentByAgent();
    expect(await exactlyOnceReport(cp.admin, all, history)).toEqual({ notSent: [], notOnce: [] });
    expect(sentOrderTo(contact, history)).toEqual([pinned, ...ids]);
  });

  it('expires a message with validForSeconds waiting on the line of a Mac that is gone, and never sends it', async () => {
    const contact = newContact();
    const first = (await cp.admin.post('/v1/messages', { to: contact, body: 'pins' })).body.id as string;
    await eventually(async () => (await sentByAgent()).some((entry) => entry.messageId === first), 'the pinning message sent', { tick });

    expect(await agent.kill('SIGKILL')).toBe('SIGKILL');
    await relay.point(undefined);
    await eventually(async () => (await nodeHealth()) === 'unreachable', 'the node seen unreachable', { tick, timeoutMs: 30_000 });
    const late = (await cp.admin.post('/v1/messages', { to: contact, body: 'or by SMS', validForSeconds: 60 })).body.id as string;
    await eventually(async () => (await cp.admin.get(`/v1/messages/${late}`)).body.status === 'assigned', 'waiting on its line', { tick });

    const expired = await eventually(
      async () => {
        const view = (await cp.admin.get(`/v1/messages/${late}`)).body;
        return view.status === 'expired' ? view : undefined;
      },
      'expired while the Mac is gone',
      { tick: () => clock.advance(5_000), timeoutMs: 20_000 },
    );
    expect(expired.history.map((entry: { status: string }) => entry.status)).toEqual(['queued', 'assigned', 'expired']);

    agent = await spawnAgent({ token: agent.token, dataDir: agent.dataDir, env: agentEnv });
    await relay.point(agent.url);
    await eventually(async () => (await nodeHealth()) === 'healthy', 'the node healthy again', { tick, timeoutMs: 30_000 });
    const after = (await cp.admin.post('/v1/messages', { to: contact, body: 'after' })).body.id as string;
    await eventually(async () => (await sentByAgent()).some((entry) => entry.messageId === after), 'the next message sent', { tick });
    expect((await sentByAgent()).some((entry) => entry.messageId === late)).toBe(false);
    expect((await cp.admin.get(`/v1/messages/${late}`)).body.status).toBe('expired');
  });
});
