import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@bridgefleet/testing/eventually.js';
import { newContact, startPipelineWorld, type PipelineWorld } from '@bridgefleet/testing/pipeline-world.js';
import { WebhookReceiver } from '@bridgefleet/testing/webhook-receiver.js';
import { ReputationUpdater } from '../apps/control-plane/src/reputation/reputation-updater.service.js';

const DAY_MS = 86_400_000;
// DEFAULT_GOVERNOR_TUNING: the rate is judged from 20 first contacts on, against a 15% floor.
const MIN_SAMPLE = 20;

interface LineState {
  admin: string;
  reputation: string;
  reputationReason: string | null;
  assignable: boolean;
}

describe('reputation updater', () => {
  let world: PipelineWorld;
  let receiver: WebhookReceiver;
  const tick = () => world.clock.advance(100);

  beforeAll(async () => {
    world = await startPipelineWorld({
      nodes: 2,
      limits: { dailyCap: 1_000, dailyNewContacts: 1_000, hourlyNewContacts: 1_000 },
      env: { WEBHOOK_POLL_MS: '50' },
    });
    receiver = await WebhookReceiver.start();
    const hook = await world.cp.admin.post('/v1/webhooks', { url: receiver.url, events: ['line.state'] });
    expect(hook.status).toBe(201);
  });
  afterAll(async () => {
    await world?.close();
    await receiver?.close();
  });

  const line = async (id: string) => (await world.cp.admin.get(`/v1/lines/${id}`)).body as LineState;
  const pass = () => world.cp.app.get(ReputationUpdater).reconcileAll();
  const lineStateHooks = (lineId: string) =>
    receiver.received
      .map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> })
      .filter((event) => event.type === 'line.state' && event.data.lineId === lineId)
      .map((event) => event.data);

  async function send(to: string, body: string) {
    const response = await world.cp.admin.post('/v1/messages', { to, body });
    expect(response.status).toBe(202);
    return response.body.id as string;
  }
  async function sentFrom(id: string): Promise<string | undefined> {
    const view = (await world.cp.admin.get(`/v1/messages/${id}`)).body as { status: string; lineId: string };
    return ['sent', 'delivered', 'read'].includes(view.status) ? view.lineId : undefined;
  }
  async function reply(nodeIndex: number, from: string) {
    const node = world.fleet.nodes[nodeIndex]!;
    const response = await fetch(`${node.agentUrl}/sim/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from, body: 'who is this?' }),
    });
    expect(response.status).toBeLessThan(300);
  }

  it('promotes warming lines once their warm-up (0 days here) is over', async () => {
    for (const node of world.fleet.nodes) {
      await eventually(async () => (await pass(), (await line(node.lineId!)).reputation === 'good'), 'line promoted');
    }
    const audit = await world.cp.admin.get(
      `/v1/audit?action=line.promote&actor=system:reputation&targetId=${world.fleet.nodes[0]!.lineId}`,
    );
    expect(audit.body.items).toHaveLength(1);
  });

  it('throttles a line whose first contacts never reply: no new contacts, existing ones still served; replies bring it back', async () => {
    const [quiet, other] = world.fleet.nodes.map((node) => node.lineId) as [string, string];
    // Every first contact goes to the quiet line while the other one is cordoned.
    expect((await world.cp.admin.post(`/v1/lines/${other}/cordon`, { reason: 'test' })).status).toBe(200);
    const contacts = Array.from({ length: MIN_SAMPLE }, () => newContact());
    const ids = [];
    for (const [i, to] of contacts.entries()) ids.push(await send(to, `hello ${i}`));
    for (const id of ids) expect(await eventually(() => sentFrom(id), 'first contact sent', { tick })).toBe(quiet);
    expect((await world.cp.admin.post(`/v1/lines/${other}/uncordon`)).status).toBe(200);

    // The updater's timer runs too; either way the pass leaves the line throttled.
    await pass();
    const throttled = await line(quiet);
    expect(throttled).toMatchObject({ reputation: 'throttled', assignable: false });
    expect(throttled.reputationReason).toContain('0/20');
    expect(await pass()).toEqual([]); // idempotent: nothing more to do
    await eventually(async () => lineStateHooks(quiet).some((d) => d.reputation === 'throttled'), 'line.state webhook (throttled)', {
      tick,
    });
    expect(lineStateHooks(quiet).find((d) => d.reputation === 'throttled')).toMatchObject({ previousReputation: 'good', admin: 'active' });
    const audit = await world.cp.admin.get(`/v1/audit?action=line.throttle&targetId=${quiet}`);
    expect(audit.body.items.map((event: { actor: string }) => event.actor)).toEqual(['system:reputation']);

    // A new contact goes to the other line; an existing contact of the quiet line still gets its message from it.
    const fresh = await send(newContact(), 'new here');
    expect(await eventually(() => sentFrom(fresh), 'new contact served', { tick })).toBe(other);
    const followUp = await send(contacts[0]!, 'following up');
    expect(await eventually(() => sentFrom(followUp), 'existing contact served', { tick })).toBe(quiet);

    // Three of twenty reply: 15% is the floor, no longer below it.
    for (const contact of contacts.slice(1, 4)) await reply(0, contact);
    await eventually(async () => (await pass(), (await line(quiet)).reputation === 'good'), 'unthrottled', { tick });
    expect(await line(quiet)).toMatchObject({ reputation: 'good', assignable: true });
    await eventually(async () => lineStateHooks(quiet).some((d) => d.previousReputation === 'throttled'), 'line.state webhook (good)', {
      tick,
    });
    expect(lineStateHooks(quiet).at(-1)).toMatchObject({ reputation: 'good', previousReputation: 'throttled' });
  });

  it('never touches a line a person flagged', async () => {
    const lineId = world.fleet.nodes[1]!.lineId!;
    expect((await world.cp.admin.post(`/v1/lines/${lineId}/flag`, { reason: 'complaint' })).status).toBe(200);
    await pass();
    expect(await line(lineId)).toMatchObject({ reputation: 'flagged', reputationReason: 'complaint' });
    expect((await world.cp.admin.post(`/v1/lines/${lineId}/clear`, { reason: 'resolved' })).status).toBe(200);
  });

  it('promotes a warming line to good only after its warmupDays', async () => {
    const created = await world.cp.admin.post('/v1/lines', {
      phoneNumber: '+12065550188',
      appleId: 'warm@example.com',
      nodeId: (await world.cp.admin.get(`/v1/lines/${world.fleet.nodes[0]!.lineId}`)).body.nodeId,
      limits: { warmupDays: 2 },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await pass();
    world.clock.advance(DAY_MS);
    await pass();
    expect((await line(id)).reputation).toBe('warming');
    world.clock.advance(DAY_MS);
    await pass();
    expect((await line(id)).reputation).toBe('good');
    const audit = await world.cp.admin.get(`/v1/audit?action=line.promote&targetId=${id}`);
    expect(audit.body.items).toMatchObject([{ actor: 'system:reputation', reason: 'warm-up period over' }]);
    await eventually(
      async () => lineStateHooks(id).some((d) => d.reputation === 'good' && d.previousReputation === 'warming'),
      'line.state',
      {
        tick,
      },
    );
  });
});
