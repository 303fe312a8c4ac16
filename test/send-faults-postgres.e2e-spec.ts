import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpRelay, type TcpRelay } from '@bridgefleet/testing/agents.js';
import { freshDatabase } from '@bridgefleet/testing/databases.js';
import { eventually } from '@bridgefleet/testing/eventually.js';
import { allSentPerApi, exactlyOnceReport, sentOrderTo, statusesOf } from '@bridgefleet/testing/exactly-once.js';
import { newContact, startPipelineWorld, type PipelineWorld } from '@bridgefleet/testing/pipeline-world.js';

/**
 * PostgreSQL goes away (and comes back) under a running control plane. The shared cluster
 * is never restarted: the control plane reaches its database through a TCP relay that the
 * test cuts (open connections dropped, new ones refused) and restores, as a restart does.
 * During the outage no message is accepted (503, never 202); sends in progress are neither
 * lost nor doubled; afterwards everything accepted goes out once.
 */
describe('send faults: PostgreSQL restarts', () => {
  let relay: TcpRelay;
  let world: PipelineWorld;
  let postgres: string;

  beforeAll(async () => {
    const database = new URL(await freshDatabase());
    postgres = `http://${database.hostname}:${database.port || '5432'}`;
    relay = await startTcpRelay();
    await relay.point(postgres);
    const viaRelay = new URL(database);
    viaRelay.host = new URL(relay.url).host;
    world = await startPipelineWorld({
      nodes: 2,
      env: { DATABASE_URL: viaRelay.toString(), RECONCILE_INTERVAL_MS: '200', AGENT_SEND_TIMEOUT_MS: '3000' },
    });
  });
  afterAll(async () => {
    await world?.close();
    await relay?.close();
  });

  const history = () => world.fleet.nodes.flatMap((node) => node.sim.sent());

  it('answers 503 while it is down, and sends every accepted message once after it is back', async () => {
    for (const node of world.fleet.nodes) node.sim.setFaults({ latencyMs: 1_500 });
    const talkative = newContact();
    const ids: string[] = [];
    const post = (to: string, body: string) => world.cp.admin.post('/v1/messages', { to, body });
    for (let i = 0; i < 3; i += 1) ids.push((await post(talkative, `talk ${i}`)).body.id);
    for (let i = 0; i < 2; i += 1) ids.push((await post(newContact(), `one ${i}`)).body.id);
    const midSend = await eventually(async () => {
      const statuses = await statusesOf(world.cp.admin, ids);
      return ids.find((id) => statuses.get(id) === 'sending' && world.fleet.nodes.some((n) => n.agent.lookup(id)?.state === 'pending'));
    }, 'a send in progress on a Mac');

    await relay.point(undefined);
    const refused = await post(newContact(), 'during the outage');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    // The Mac finishes the send while the control plane cannot record it.
    await eventually(async () => world.fleet.nodes.some((n) => n.agent.lookup(midSend)?.state === 'sent'), 'the in-flight send done');
    expect((await post(talkative, 'still down')).status).toBe(503);

    await relay.point(postgres);
    for (const node of world.fleet.nodes) node.sim.setFaults({ latencyMs: 5 });
    const after = await eventually(async () => {
      const response = await post(talkative, 'after the outage');
      return response.status === 202 ? (response.body.id as string) : undefined;
    }, 'accepted again once PostgreSQL is back');
    ids.push(after);
    await eventually(async () => allSentPerApi(world.cp.admin, ids), 'every accepted message sent', {
      timeoutMs: 45_000,
      tick: () => world.clock.advance(2_000),
    });

    const report = await exactlyOnceReport(world.cp.admin, ids, history());
    expect(report).toEqual({ notSent: [], notOnce: [] });
    expect(sentOrderTo(talkative, history())).toEqual([ids[0], ids[1], ids[2], after]);
    // Nothing answered 503 was stored: the only outbound messages are the accepted ones.
    const stored = await world.cp.admin.get('/v1/messages?direction=outbound&limit=100');
    expect((stored.body.items as { id: string }[]).map((m) => m.id).sort()).toEqual([...ids].sort());
  });
});
