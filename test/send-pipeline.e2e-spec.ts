import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, settled } from '@bridgefleet/testing/eventually.js';
import { newContact, startPipelineWorld, type PipelineWorld } from '@bridgefleet/testing/pipeline-world.js';
import { WebhookReceiver } from '@bridgefleet/testing/webhook-receiver.js';

async function send(world: PipelineWorld, to: string, body: string, plane = world.cp) {
  const response = await plane.admin.post('/v1/messages', { to, body });
  expect(response.status).toBe(202);
  return response.body.id as string;
}

async function statusOf(world: PipelineWorld, id: string) {
  return (await world.cp.admin.get(`/v1/messages/${id}`)).body as { status: string; lineId: string | null };
}

async function waitSent(world: PipelineWorld, id: string, what: string) {
  await eventually(async () => ['sent', 'delivered', 'read'].includes((await statusOf(world, id)).status), what, {
    tick: () => world.clock.advance(100),
  });
}

function sentByNode(world: PipelineWorld) {
  return world.fleet.nodes.map((node) => node.sim.sent());
}

function allSent(world: PipelineWorld) {
  return sentByNode(world).flat();
}

describe('send pipeline: assignment and exactly-once delivery', () => {
  let world: PipelineWorld;
  beforeAll(async () => {
    world = await startPipelineWorld({ nodes: 3 });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('spreads new contacts round-robin, keeps them sticky, and sends each message once', async () => {
    const contacts = Array.from({ length: 9 }, () => newContact());
    const ids = await Promise.all(contacts.map((to, i) => send(world, to, `hello ${i}`)));
    await eventually(async () => allSent(world).length >= 9, 'nine sends', { tick: () => world.clock.advance(100) });
    const views = await eventually(async () => {
      const all = await Promise.all(ids.map((id) => statusOf(world, id)));
      return all.every((view) => ['sent', 'delivered', 'read'].includes(view.status)) && all;
    }, 'nine messages marked sent');
    const perLine = new Map<string, number>();
    for (const view of views) perLine.set(view.lineId!, (perLine.get(view.lineId!) ?? 0) + 1);
    expect([...perLine.values()].sort()).toEqual([3, 3, 3]);
    const sentIds = allSent(world).map((entry) => entry.messageId);
    expect(new Set(sentIds).size).toBe(sentIds.length);

    // Sticky: the next message to a contact goes out on the same line.
    const again = await send(world, contacts[0]!, 'second');
    await waitSent(world, again, 'second message sent');
    expect((await statusOf(world, again)).lineId).toBe(views[0]!.lineId);
    expect((await world.cp.admin.get(`/v1/contacts/${encodeURIComponent(contacts[0]!)}`)).body.lineId).toBe(views[0]!.lineId);
  });

  it('pins a contact who texts a line first to that line', async () => {
    const contact = newContact();
    const node = world.fleet.nodes[2]!;
    const inbound = await fetch(`${node.agentUrl}/sim/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: contact, body: 'hi, it is me' }),
    });
    expect(inbound.status).toBeLessThan(300);
    const pinned = await eventually(async () => {
      const view = await world.cp.admin.get(`/v1/contacts/${encodeURIComponent(contact)}`);
      return view.status === 200 && view.body.lineId ? view.body : undefined;
    }, 'contact pinned by its inbound message');
    expect(pinned.lineId).toBe(node.lineId);
    const received = await world.cp.admin.get(`/v1/messages?direction=inbound&to=${encodeURIComponent(contact)}`);
    expect(received.body.items).toHaveLength(1);
    expect(received.body.items[0].status).toBe('received');

    const reply = await send(world, contact, 'thanks for writing');
    await eventually(async () => node.sim.sent().some((entry) => entry.messageId === reply), 'reply sent from the pinned line');
    expect((await statusOf(world, reply)).lineId).toBe(node.lineId);
  });

  it('keeps each contact’s messages in order, through send failures and retries', async () => {
    const contact = newContact();
    const first = await send(world, contact, 'm0');
    await eventually(async () => (await statusOf(world, first)).lineId, 'first routed');
    const lineId = (await statusOf(world, first)).lineId!;
    const node = world.fleet.nodes.find((n) => n.lineId === lineId)!;
    await fetch(`${node.agentUrl}/sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sendFailureRate: 0.5 }),
    });
    const ids = [first];
    for (let i = 1; i < 6; i += 1) ids.push(await send(world, contact, `m${i}`));
    await eventually(async () => node.sim.sent().filter((entry) => entry.to === contact).length === 6, 'six sends to the contact', {
      timeoutMs: 40_000,
      tick: () => world.clock.advance(2_000),
    });
    await fetch(`${node.agentUrl}/sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sendFailureRate: 0 }),
    });
    const order = node.sim
      .sent()
      .filter((entry) => entry.to === contact)
      .map((entry) => entry.messageId);
    expect(order).toEqual(ids);
  });

  it('keeps a contact’s messages in order when a later one is routed before an earlier one', async () => {
    const lines = world.fleet.nodes.map((node) => node.lineId!);
    // With every line cordoned the first message cannot be routed: its route job waits (real-time delay).
    for (const id of lines) expect((await world.cp.admin.post(`/v1/lines/${id}/cordon`, {})).status).toBe(200);
    const contact = newContact();
    const first = await send(world, contact, 'written first');
    await eventually(async () => (await statusOf(world, first)).status === 'queued', 'first held unrouted');
    // Let its route job fail once more while every line is cordoned: its next try is then 5 s
    // away (route.queue WAIT_FOR_LINE_MS, BullMQ's real-time delay), the window for the second.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    for (const id of lines) expect((await world.cp.admin.post(`/v1/lines/${id}/uncordon`, {})).status).toBe(200);
    // The second is routed at once and reaches a line while the first is still waiting to be routed.
    const second = await send(world, contact, 'written second');
    await eventually(async () => (await statusOf(world, second)).status !== 'queued', 'second routed first');
    expect((await statusOf(world, first)).status).toBe('queued');

    await eventually(async () => allSent(world).filter((entry) => entry.to === contact).length === 2, 'both sent', {
      tick: () => world.clock.advance(100),
    });
    const order = allSent(world)
      .filter((entry) => entry.to === contact)
      .sort((x, y) => x.at.localeCompare(y.at))
      .map((entry) => entry.messageId);
    expect(order).toEqual([first, second]);
  });

  it('reassigns a contact off a retired line and says so with a contact.reassigned webhook', async () => {
    const receiver = await WebhookReceiver.start();
    try {
      const hook = await world.cp.admin.post('/v1/webhooks', { url: receiver.url, events: ['contact.reassigned'] });
      expect(hook.status).toBe(201);
      const contact = newContact();
      const first = await send(world, contact, 'before');
      await waitSent(world, first, 'first sent');
      const oldLine = (await statusOf(world, first)).lineId!;
      expect((await world.cp.admin.post(`/v1/lines/${oldLine}/retire`, { reason: 'number rotated' })).status).toBe(200);

      const second = await send(world, contact, 'after');
      await waitSent(world, second, 'second sent');
      const newLine = (await statusOf(world, second)).lineId!;
      expect(newLine).not.toBe(oldLine);
      const hooks = await eventually(async () => {
        const got = receiver.received.filter((r) => (JSON.parse(r.body) as { type: string }).type === 'contact.reassigned');
        return got.length ? got : undefined;
      }, 'contact.reassigned webhook');
      expect((JSON.parse(hooks[0]!.body) as { data: Record<string, string> }).data).toMatchObject({
        handle: contact,
        fromLineId: oldLine,
        toLineId: newLine,
      });
    } finally {
      await receiver.close();
    }
  });
  it('moves a contact off a retired line together with its waiting messages, keeping their order', async () => {
    const contact = newContact();
    const first = await send(world, contact, 'pins-the-contact');
    await waitSent(world, first, 'first sent');
    const oldLine = (await statusOf(world, first)).lineId!;
    // Hold the line (cap 0) so the next message is still waiting when the line is retired.
    expect((await world.cp.admin.patch(`/v1/lines/${oldLine}`, { limits: { dailyCap: 0 } })).status).toBe(200);
    const second = await send(world, contact, 'waits-2');
    await eventually(async () => (await statusOf(world, second)).status === 'assigned', 'second assigned');
    expect((await world.cp.admin.post(`/v1/lines/${oldLine}/retire`, { reason: 'number rotated' })).status).toBe(200);
    const third = await send(world, contact, 'after-retire');

    await eventually(
      async () => {
        const views = await Promise.all([first, second, third].map((id) => statusOf(world, id)));
        return views.every((view) => ['sent', 'delivered', 'read'].includes(view.status));
      },
      'all three sent from the new line',
      { tick: () => world.clock.advance(5_000) },
    );
    const views = await Promise.all([first, second, third].map((id) => statusOf(world, id)));
    expect(views[1]!.lineId).toBe(views[2]!.lineId);
    expect(views[1]!.lineId).not.toBe(oldLine);
    const order = allSent(world)
      .filter((entry) => entry.to === contact)
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((entry) => entry.messageId);
    expect(order).toEqual([first, second, third]);
  });
});

describe('send pipeline: the governor holds exactly', () => {
  let world: PipelineWorld;
  beforeAll(async () => {
    world = await startPipelineWorld({
      nodes: 1,
      planes: 2,
      limits: { dailyNewContacts: 10, hourlyNewContacts: 1_000, dailyCap: 1_000 },
      sim: { SIM_RESPONSE_RATE: 1, SIM_REPLY_DELAY_MS: 10 },
    });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('sends exactly 10 of 50 new contacts today across two control planes; the next day more go', async () => {
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => send(world, newContact(), `cold ${i}`, world.planes[i % 2]!)));
    const today = await settled(async () => allSent(world).length, 1_500, { tick: () => world.clock.advance(100) });
    expect(today).toBe(10);
    const waiting = await Promise.all(ids.map((id) => statusOf(world, id)));
    expect(waiting.filter((view) => view.status === 'assigned')).toHaveLength(40);

    world.clock.advance(24 * 3_600_000);
    await eventually(async () => allSent(world).length >= 20, 'the next day’s sends', { tick: () => world.clock.advance(100) });
    expect(await settled(async () => allSent(world).length, 1_500, { tick: () => world.clock.advance(100) })).toBe(20);
    const sentIds = allSent(world).map((entry) => entry.messageId);
    expect(new Set(sentIds).size).toBe(20);
  });
});

describe('send pipeline: send:receive ratio', () => {
  let world: PipelineWorld;
  beforeAll(async () => {
    world = await startPipelineWorld({ nodes: 1, limits: { maxRatio: 2, ratioMinSample: 4, ratioWindowHours: 24 } });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('stops cold sends at the ratio while a reply to a contact who just wrote still goes', async () => {
    const cold = Array.from({ length: 8 }, () => newContact());
    const ids = await Promise.all(cold.map((to, i) => send(world, to, `cold ${i}`)));
    const sentCold = await settled(async () => allSent(world).length, 1_500, { tick: () => world.clock.advance(100) });
    expect(sentCold).toBeGreaterThanOrEqual(4);
    expect(sentCold).toBeLessThan(8);
    const held = (await Promise.all(ids.map(async (id, i) => ({ i, view: await statusOf(world, id) })))).filter(
      (x) => x.view.status === 'assigned',
    );
    expect(held.length).toBe(8 - sentCold);

    // A held contact writes in: the message to them is now a reply and goes despite the ratio.
    const writer = cold[held[0]!.i]!;
    const node = world.fleet.nodes[0]!;
    await fetch(`${node.agentUrl}/sim/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: writer, body: 'who is this?' }),
    });
    await eventually(async () => node.sim.sent().some((entry) => entry.to === writer), 'the reply goes out', {
      tick: () => world.clock.advance(1_000),
    });
    // The other held cold sends still wait.
    const still = await Promise.all(held.slice(1).map((x) => statusOf(world, ids[x.i]!)));
    expect(still.every((view) => view.status === 'assigned')).toBe(true);
  });
});
