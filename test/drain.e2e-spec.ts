import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@bridgefleet/testing/eventually.js';
import { newContact, startPipelineWorld, type PipelineWorld } from '@bridgefleet/testing/pipeline-world.js';
import { WebhookReceiver } from '@bridgefleet/testing/webhook-receiver.js';
import { DrainWorker } from '../apps/control-plane/src/drain/drain-worker.service.js';

const MINUTE_MS = 60_000;
const PACE = 2;

interface Envelope {
  type: string;
  data: Record<string, string>;
}

describe('drain: contacts move off at a bounded pace, with their waiting messages', () => {
  let world: PipelineWorld;
  let receiver: WebhookReceiver;
  let lines: string[];
  const tick = () => world.clock.advance(100);

  beforeAll(async () => {
    world = await startPipelineWorld({
      nodes: 3,
      limits: { dailyCap: 1_000, dailyNewContacts: 1_000, hourlyNewContacts: 1_000 },
      env: { WEBHOOK_POLL_MS: '50' },
    });
    lines = world.fleet.nodes.map((node) => node.lineId!);
    receiver = await WebhookReceiver.start();
    const hook = await world.cp.admin.post('/v1/webhooks', { url: receiver.url, events: ['contact.reassigned', 'node.health'] });
    expect(hook.status).toBe(201);
    const settings = await world.cp.admin.patch('/v1/fleet/settings', { lines: { drainContactsPerMinute: PACE } });
    expect(settings.body.lines).toEqual({ drainContactsPerMinute: PACE });
  });
  afterAll(async () => {
    await world?.close();
    await receiver?.close();
  });

  const pass = () => world.cp.app.get(DrainWorker).reconcileAll();
  const events = (type: string) =>
    receiver.received
      .map((r) => JSON.parse(r.body) as Envelope)
      .filter((event) => event.type === type)
      .map((event) => event.data);
  const contactLine = async (handle: string) =>
    (await world.cp.admin.get(`/v1/contacts/${encodeURIComponent(handle)}`)).body.lineId as string;
  const message = async (id: string) => (await world.cp.admin.get(`/v1/messages/${id}`)).body as { status: string; lineId: string };
  const isOut = (status: string) => ['sent', 'delivered', 'read'].includes(status);

  async function send(to: string, body: string) {
    const response = await world.cp.admin.post('/v1/messages', { to, body });
    expect(response.status).toBe(202);
    return response.body.id as string;
  }
  async function sendAndWait(to: string, body: string) {
    const id = await send(to, body);
    await eventually(async () => isOut((await message(id)).status), 'sent', { tick });
    return (await message(id)).lineId;
  }
  function sentOrder(lineId: string): string[] {
    const node = world.fleet.nodes.find((n) => n.lineId === lineId)!;
    return node.sim.sent().map((entry) => entry.messageId);
  }

  it('moves 6 contacts of a draining line, 2 a minute, each with a webhook; their waiting messages go out from the new line in order', async () => {
    const [draining, ...others] = lines as [string, string, string];
    // Six contacts on the first line: the others are cordoned while they start.
    for (const id of others) expect((await world.cp.admin.post(`/v1/lines/${id}/cordon`, {})).status).toBe(200);
    const contacts = Array.from({ length: 6 }, () => newContact());
    for (const to of contacts) expect(await sendAndWait(to, 'hello')).toBe(draining);
    for (const id of others) expect((await world.cp.admin.post(`/v1/lines/${id}/uncordon`, {})).status).toBe(200);

    // The line is at its daily cap from now on: what is sent to its contacts waits there.
    expect((await world.cp.admin.patch(`/v1/lines/${draining}`, { limits: { dailyCap: 0 } })).status).toBe(200);
    const waiting = new Map<string, string[]>();
    for (const to of contacts) waiting.set(to, [await send(to, 'first'), await send(to, 'second')]);
    await eventually(
      async () => {
        const all = await Promise.all([...waiting.values()].flat().map((id) => message(id)));
        return all.every((m) => m.status === 'assigned' && m.lineId === draining);
      },
      'messages waiting on the draining line',
      { tick },
    );

    expect((await world.cp.admin.post(`/v1/lines/${draining}/drain`, { reason: 'number rotation' })).status).toBe(200);
    const onDraining = async () => (await Promise.all(contacts.map(contactLine))).filter((id) => id === draining).length;
    const seen: number[] = [];
    for (let minute = 0; minute < 3; minute += 1) {
      await pass();
      await pass(); // the same minute: the pace allows no second batch
      seen.push(await onDraining());
      world.clock.advance(MINUTE_MS);
    }
    expect(seen).toEqual([4, 2, 0]);
    expect(await pass()).toEqual([]);
    expect((await world.cp.admin.get(`/v1/lines/${draining}`)).body).toMatchObject({ admin: 'draining', contacts: 0 });

    for (const [to, [first, second]] of waiting) {
      const newLine = await contactLine(to);
      expect(others).toContain(newLine);
      await eventually(async () => isOut((await message(second!)).status), 'moved messages sent', { tick });
      expect((await message(first!)).lineId).toBe(newLine);
      const order = sentOrder(newLine);
      expect(order.indexOf(first!)).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(first!)).toBeLessThan(order.indexOf(second!));
    }
    expect(sentOrder(draining).some((id) => [...waiting.values()].flat().includes(id))).toBe(false);

    const hooks = await eventually(
      async () => {
        const got = events('contact.reassigned').filter((data) => data.fromLineId === draining);
        return got.length >= 6 ? got : undefined;
      },
      'six contact.reassigned webhooks',
      { tick },
    );
    expect(hooks.map((data) => data.handle).sort()).toEqual([...contacts].sort());
    expect(hooks.every((data) => data.reason === 'line draining' && others.includes(data.toLineId!))).toBe(true);
    const audit = await world.cp.admin.get(
      `/v1/audit?action=contact.reassign&actor=system:drain&targetId=${encodeURIComponent(contacts[0]!)}`,
    );
    expect(audit.body.items).toHaveLength(1);
  });

  it('moves contacts with waiting messages off a line unreachable past the toleration period; node.health webhooks say so', async () => {
    const [, down, up] = lines as [string, string, string];
    expect((await world.cp.admin.patch('/v1/fleet/settings', { health: { tolerationSeconds: 600 } })).status).toBe(200);
    const waitingContact = newContact();
    const idleContact = newContact();
    // Both contacts start on `down` (the other live line cordoned meanwhile).
    expect((await world.cp.admin.post(`/v1/lines/${up}/cordon`, {})).status).toBe(200);
    expect(await sendAndWait(waitingContact, 'hello')).toBe(down);
    expect(await sendAndWait(idleContact, 'hello')).toBe(down);
    expect((await world.cp.admin.post(`/v1/lines/${up}/uncordon`, {})).status).toBe(200);

    // The node stops answering: its agent URL now points at a closed port.
    const node = (await world.cp.admin.get(`/v1/lines/${down}`)).body.nodeId as string;
    const agentUrl = (await world.cp.admin.get(`/v1/nodes/${node}`)).body.agentUrl as string;
    expect((await world.cp.admin.patch(`/v1/nodes/${node}`, { agentUrl: 'http://127.0.0.1:9' })).status).toBe(200);
    await eventually(async () => (await world.cp.admin.get(`/v1/nodes/${node}`)).body.health.state === 'unreachable', 'unreachable', {
      tick: () => world.clock.advance(250),
    });
    const held = await send(waitingContact, 'while the Mac is down');
    await eventually(async () => (await message(held)).status === 'assigned', 'held message assigned', { tick });
    expect((await message(held)).lineId).toBe(down);

    // Within the toleration period the contact waits for its own line.
    await pass();
    expect(await contactLine(waitingContact)).toBe(down);
    world.clock.advance(601_000);
    // The worker's own timer may do it first; either way it is done within a pass or two.
    await eventually(async () => (await pass(), (await contactLine(waitingContact)) === up), 'waiting contact moved');
    expect(await contactLine(idleContact)).toBe(down);
    await eventually(async () => isOut((await message(held)).status), 'held message sent from the new line', { tick });
    expect((await message(held)).lineId).toBe(up);
    await eventually(
      async () =>
        events('contact.reassigned').some((d) => d.handle === waitingContact && d.reason === 'line unreachable past the toleration period'),
      'contact.reassigned webhook',
      { tick },
    );

    const down1 = await eventually(
      async () => events('node.health').find((d) => d.nodeId === node && d.state === 'unreachable'),
      'node.health webhook (unreachable)',
      { tick },
    );
    expect(down1).toMatchObject({ previousState: 'healthy', reason: expect.stringMatching(/missed/) });
    expect((await world.cp.admin.patch(`/v1/nodes/${node}`, { agentUrl })).status).toBe(200);
    const back = await eventually(
      async () => events('node.health').find((d) => d.nodeId === node && d.state === 'healthy'),
      'node.health webhook (healthy)',
      { tick: () => world.clock.advance(250) },
    );
    expect(back).toMatchObject({ previousState: 'unreachable' });
  });
});
