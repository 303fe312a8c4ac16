import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@bridgefleet/testing/eventually.js';
import { newContact, startPipelineWorld, type PipelineWorld } from '@bridgefleet/testing/pipeline-world.js';
import { WebhookReceiver } from '@bridgefleet/testing/webhook-receiver.js';

interface View {
  status: string;
  lineId: string | null;
  history: Array<{ status: string }>;
}

/** A message with a deadline that cannot go out in time becomes `expired`, with a `message.status` webhook. */
describe('send pipeline: validForSeconds expiry', () => {
  let world: PipelineWorld;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    world = await startPipelineWorld({ nodes: 1 });
    receiver = await WebhookReceiver.start();
    const hook = await world.cp.admin.post('/v1/webhooks', { url: receiver.url, events: ['message.status'] });
    expect(hook.status).toBe(201);
  });
  afterAll(async () => {
    await world?.close();
    await receiver?.close();
  });

  const view = async (id: string) => (await world.cp.admin.get(`/v1/messages/${id}`)).body as View;
  const lineId = () => world.fleet.nodes[0]!.lineId;

  function statusHooks(messageId: string) {
    return receiver.received
      .map((hook) => JSON.parse(hook.body) as { type: string; data: { messageId: string; status: string; previousStatus: string } })
      .filter((event) => event.type === 'message.status' && event.data.messageId === messageId);
  }

  async function expectExpired(id: string, waitedIn: string) {
    // Each poll moves the shared clock past the deadline a little further; timers of the system follow it.
    const expired = await eventually(async () => ((await view(id)).status === 'expired' ? view(id) : undefined), `${id} expired`, {
      tick: () => world.clock.advance(5_000),
      timeoutMs: 30_000,
    });
    const statuses = expired.history.map((entry) => entry.status);
    expect(statuses[0]).toBe('queued');
    expect(statuses.at(-1)).toBe('expired');
    expect(statuses).toContain(waitedIn);
    expect(statuses).not.toContain('sent');
    const hook = await eventually(async () => statusHooks(id).find((event) => event.data.status === 'expired'), 'expired webhook');
    expect(hook.data.previousStatus).toBe(waitedIn);
    expect(world.fleet.nodes[0]!.sim.sent().some((entry) => entry.messageId === id)).toBe(false);
  }

  it('expires a message waiting on its line (held by the governor: daily cap 0)', async () => {
    expect((await world.cp.admin.patch(`/v1/lines/${lineId()}`, { limits: { dailyCap: 0 } })).status).toBe(200);
    try {
      const sent = await world.cp.admin.post('/v1/messages', { to: newContact(), body: 'code 5678', validForSeconds: 30 });
      expect(sent.status).toBe(202);
      await eventually(async () => (await view(sent.body.id)).status === 'assigned', 'assigned to the held line', {
        tick: () => world.clock.advance(100),
      });
      expect((await view(sent.body.id)).lineId).toBe(lineId());
      await expectExpired(sent.body.id, 'assigned');
    } finally {
      await world.cp.admin.patch(`/v1/lines/${lineId()}`, { limits: { dailyCap: null } });
    }
  });

  it('expires a message still waiting for a line (every line cordoned: never routed)', async () => {
    expect((await world.cp.admin.post(`/v1/lines/${lineId()}/cordon`, { reason: 'expiry test' })).status).toBe(200);
    try {
      const sent = await world.cp.admin.post('/v1/messages', { to: newContact(), body: 'code 1234', validForSeconds: 30 });
      expect(sent.status).toBe(202);
      // Nothing can take a new contact: it stays queued, unrouted, while the deadline is ahead.
      world.clock.advance(10_000);
      const before = await view(sent.body.id);
      expect(before.status).toBe('queued');
      expect(before.lineId).toBeNull();
      await expectExpired(sent.body.id, 'queued');
    } finally {
      await world.cp.admin.post(`/v1/lines/${lineId()}/uncordon`, { reason: 'expiry test done' });
    }
  });
});
