import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@bridgefleet/testing/eventually.js';
import { newContact, startPipelineWorld, type PipelineWorld } from '@bridgefleet/testing/pipeline-world.js';
import { GovernorKeys } from '../apps/control-plane/src/governor/governor-keys.js';
import { GovernorService } from '../apps/control-plane/src/governor/governor.service.js';
import { RedisService } from '../apps/control-plane/src/redis/redis.service.js';

interface Usage {
  day: string;
  sent: number;
  cap: number;
  newContacts: number;
  newContactCap: number;
  inbound: number;
  ratio: number | null;
  remaining: number;
}

describe('line usage in GET /v1/lines: the governor live counters', () => {
  let world: PipelineWorld;
  let lineId: string;
  const tick = () => world.clock.advance(100);

  beforeAll(async () => {
    world = await startPipelineWorld({
      nodes: 1,
      limits: { dailyCap: 100, dailyNewContacts: 50, hourlyNewContacts: 1_000, ratioWindowHours: 24 },
    });
    lineId = world.fleet.nodes[0]!.lineId!;
  });
  afterAll(async () => {
    await world?.close();
  });

  const view = async () => (await world.cp.admin.get(`/v1/lines/${lineId}`)).body as { usage: Usage; waiting: number };
  const status = async (id: string) => (await world.cp.admin.get(`/v1/messages/${id}`)).body.status as string;
  async function send(to: string) {
    const response = await world.cp.admin.post('/v1/messages', { to, body: 'hi' });
    expect(response.status).toBe(202);
    return response.body.id as string;
  }

  it('shows sends, warm-up caps, inbound, the window ratio and waiting messages, in the view and the list alike', async () => {
    // Day 0 of a 10-day warm-up: 10% of the caps.
    expect((await world.cp.admin.patch(`/v1/lines/${lineId}`, { limits: { warmupDays: 10 } })).status).toBe(200);
    const contacts = [newContact(), newContact(), newContact()];
    for (const to of contacts) {
      const id = await send(to);
      await eventually(async () => (await status(id)) === 'sent', 'sent', { tick });
    }
    await fetch(`${world.fleet.nodes[0]!.agentUrl}/sim/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: contacts[0], body: 'thanks' }),
    });
    await eventually(async () => (await view()).usage.inbound === 1, 'inbound counted', { tick });
    expect((await view()).usage).toMatchObject({ sent: 3, cap: 10, newContacts: 3, newContactCap: 5, inbound: 1, ratio: 3, remaining: 7 });

    // Cap down to the 3 sent: the next message waits on the line.
    expect((await world.cp.admin.patch(`/v1/lines/${lineId}`, { limits: { dailyCap: 30 } })).status).toBe(200);
    const held = await send(contacts[1]!);
    await eventually(async () => (await status(held)) === 'assigned', 'held on the line', { tick });
    const detail = await view();
    expect(detail).toMatchObject({ waiting: 1, usage: { sent: 3, cap: 3, remaining: 0 } });
    const listed = (await world.cp.admin.get('/v1/lines')).body.items.find((item: { id: string }) => item.id === lineId);
    expect({ usage: listed.usage, waiting: listed.waiting }).toEqual({ usage: detail.usage, waiting: 1 });
  });

  it('falls back to the stored daily history when Redis has nothing for today', async () => {
    const before = (await view()).usage;
    await world.cp.app.get(GovernorService).persistDay(lineId, world.clock.now());
    const redis = world.cp.app.get(RedisService);
    await redis.client.del(new GovernorKeys(redis.prefix, lineId).day(before.day));
    const after = (await view()).usage;
    expect(after).toMatchObject({ day: before.day, sent: 3, newContacts: 3, inbound: 1, cap: 3, remaining: 0 });
  });
});
