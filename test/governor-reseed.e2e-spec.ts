import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, settled } from '@bridgefleet/testing/eventually.js';
import { newContact, startPipelineWorld, type PipelineWorld } from '@bridgefleet/testing/pipeline-world.js';
import { startOwnRedis, type OwnRedis } from '@bridgefleet/testing/redis-server.js';

/**
 * The governor's counters live in Redis. When Redis loses its data, today's counters are
 * rebuilt from PostgreSQL (the reconciler notices the missing sentinel), so a daily cap
 * spent before the loss is not spent a second time.
 */
describe('governor: a daily cap survives Redis data loss', () => {
  let redis: OwnRedis;
  let world: PipelineWorld;
  beforeAll(async () => {
    redis = await startOwnRedis();
    world = await startPipelineWorld({
      nodes: 1,
      limits: { dailyCap: 5, dailyNewContacts: 1_000, hourlyNewContacts: 1_000 },
      env: { REDIS_URL: redis.url, RECONCILE_INTERVAL_MS: '200' },
    });
  });
  afterAll(async () => {
    await world?.close();
    await redis?.close();
  });

  const sentCount = () => Promise.resolve(world.fleet.nodes[0]!.sim.sent().length);
  const tick = () => world.clock.advance(100);

  it('does not send past the cap after a FLUSHALL; the next day the rest go', async () => {
    const first = [];
    for (let i = 0; i < 5; i += 1) first.push(await world.cp.admin.post('/v1/messages', { to: newContact(), body: `a${i}` }));
    expect(first.every((response) => response.status === 202)).toBe(true);
    await eventually(async () => (await sentCount()) === 5, 'five sends', { tick });

    await redis.client().flushall();
    // The reconciler notices the loss and rebuilds today's counters from PostgreSQL.
    await eventually(async () => (await redis.client().exists(`${world.cp.config.REDIS_PREFIX}:sentinel`)) === 1, 'sentinel restored');

    for (let i = 0; i < 3; i += 1) {
      expect((await world.cp.admin.post('/v1/messages', { to: newContact(), body: `b${i}` })).status).toBe(202);
    }
    expect(await settled(sentCount, 1_500, { tick })).toBe(5);
    const line = await world.cp.admin.get(`/v1/lines/${world.fleet.nodes[0]!.lineId}`);
    expect(line.body.usage.sent).toBe(5);

    world.clock.advance(24 * 3_600_000);
    await eventually(async () => (await sentCount()) === 8, 'the next day’s sends', { tick });
  });
});
