import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, settled } from '@bridgefleet/testing/eventually.js';
import { allSentPerApi, exactlyOnceReport, sentOrderTo, statusesOf } from '@bridgefleet/testing/exactly-once.js';
import { newContact, startPipelineWorld, type PipelineWorld } from '@bridgefleet/testing/pipeline-world.js';

/**
 * A hung Messages.app: sends never answer. The dispatcher gives up waiting after
 * AGENT_SEND_TIMEOUT_MS, asks the agent (GET /v1/sends/:id) instead of resending, keeps
 * asking on later turns without ever sending the message again, and holds the contact's
 * later messages behind it. Once Messages.app is back every message goes once, in order.
 */
describe('send faults: a hung Messages.app', () => {
  let world: PipelineWorld;
  beforeAll(async () => {
    world = await startPipelineWorld({ nodes: 1, env: { AGENT_SEND_TIMEOUT_MS: '300', DISPATCH_MAX_ATTEMPTS: '3' } });
  });
  afterAll(async () => {
    await world?.close();
  });

  const history = () => world.fleet.nodes.flatMap((node) => node.sim.sent());
  const hungSends = () => world.fleet.nodes.map((node) => node.sim.state().hungSends);

  it('times out, asks the agent, never sends twice, and keeps each contact’s order', async () => {
    for (const node of world.fleet.nodes) node.sim.setFaults({ messagesApp: 'hung' });
    const talkative = newContact();
    const other = newContact();
    const ids: string[] = [];
    const post = async (to: string, body: string) => {
      const response = await world.cp.admin.post('/v1/messages', { to, body });
      expect(response.status).toBe(202);
      ids.push(response.body.id as string);
    };
    for (let i = 0; i < 4; i += 1) await post(talkative, `talk ${i}`);
    for (let i = 0; i < 2; i += 1) await post(other, `other ${i}`);

    // One send hangs on the line; the dispatcher times out and learns from the agent that it is pending.
    const asked = await eventually(async () => {
      const views = await Promise.all(ids.map(async (id) => (await world.cp.admin.get(`/v1/messages/${id}`)).body));
      const waiting = views.filter((view: { history: { detail?: string }[] }) =>
        view.history.some((entry) => /still sending; waiting for its answer/.test(entry.detail ?? '')),
      );
      return waiting.length === 1 ? waiting : undefined;
    }, 'the dispatcher asking the agent about the hung send');
    expect(asked.map((view: { status: string }) => view.status)).toEqual(['sending']);

    // Many later turns (retry backoff, lease expiry): each still asks, none sends again, nothing fails.
    const stuck = await settled(
      async () => ({ hung: hungSends(), statuses: [...(await statusesOf(world.cp.admin, ids)).values()] }),
      1_500,
      {
        tick: () => world.clock.advance(30_000),
      },
    );
    expect(stuck.hung).toEqual([1]);
    expect(stuck.statuses.filter((s) => s === 'sending')).toHaveLength(1);
    expect(stuck.statuses.filter((s) => s === 'assigned')).toHaveLength(5);
    expect(history()).toEqual([]);
    // The dispatcher only asked: the hung message was never handed to the agent again.
    expect((await world.cp.admin.get(`/v1/messages/${asked[0].id}`)).body.attempts).toBe(1);

    for (const node of world.fleet.nodes) node.sim.setFaults({ messagesApp: 'running' });
    await eventually(async () => allSentPerApi(world.cp.admin, ids), 'every message sent once Messages.app is back', {
      timeoutMs: 40_000,
      tick: () => world.clock.advance(5_000),
    });
    const report = await exactlyOnceReport(world.cp.admin, ids, history());
    expect(report).toEqual({ notSent: [], notOnce: [] });
    expect(sentOrderTo(talkative, history())).toEqual(ids.slice(0, 4));
    expect(sentOrderTo(other, history())).toEqual(ids.slice(4));
  });
});
