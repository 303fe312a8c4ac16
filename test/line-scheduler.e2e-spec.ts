import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../apps/control-plane/src/config/load-config.js';
import { LineSchedulerRepository } from '../apps/control-plane/src/dispatch/line-scheduler.repository.js';
import { RedisService } from '../apps/control-plane/src/redis/redis.service.js';

// The Lua scripts behind per-line dispatch, against a real Redis.
describe('line scheduler (Lua on Redis)', () => {
  const config = loadConfig({ REDIS_PREFIX: `sched${randomUUID().slice(0, 8)}`, DISPATCH_SHARDS: '1' });
  let redis: RedisService;
  let scheduler: LineSchedulerRepository;

  beforeAll(async () => {
    redis = new RedisService(config);
    await redis.connect();
    scheduler = new LineSchedulerRepository(redis, config);
  });
  afterAll(async () => {
    const keys = await redis.client.keys(`${config.REDIS_PREFIX}:*`);
    if (keys.length) await redis.client.del(...keys);
    await redis.onModuleDestroy();
  });

  it('hands a line to one worker at a time and keeps its queue in seq order', async () => {
    const line = randomUUID();
    await scheduler.enqueue(line, 'm3', 3n, 1_000);
    await scheduler.enqueue(line, 'm1', 1n, 1_000);
    await scheduler.enqueue(line, 'm2', 2n, 1_000);
    expect(await scheduler.enqueue(line, 'm1', 1n, 1_000)).toBe(false); // a re-add is harmless

    const first = await scheduler.claimNext(0, 1_000, 60_000);
    expect(first).toEqual({ shard: 0, lineId: line });
    // Leased: nobody else gets it, even though it has work.
    expect(await scheduler.claimNext(0, 1_001, 60_000)).toEqual({ nextReadyAt: undefined });
    expect(await scheduler.head(line, 10)).toEqual(['m1', 'm2', 'm3']);

    // Enqueueing while leased does not make the line claimable twice.
    await scheduler.enqueue(line, 'm4', 4n, 1_002);
    expect('lineId' in (await scheduler.claimNext(0, 1_002, 60_000))).toBe(false);

    expect(await scheduler.settle(line, 5_000, ['m1'])).toBe(3);
    expect(await scheduler.claimNext(0, 4_999, 60_000)).toEqual({ nextReadyAt: 5_000 });
    expect(await scheduler.claimNext(0, 5_000, 60_000)).toEqual({ shard: 0, lineId: line });
  });

  it('returns a dead worker’s line after its lease expires', async () => {
    const line = randomUUID();
    await scheduler.enqueue(line, 'a', 1n, 10_000);
    // Drain anything left from other cases in this shard first.
    let claim = await scheduler.claimNext(0, 10_000, 500);
    while ('lineId' in claim && claim.lineId !== line) claim = await scheduler.claimNext(0, 10_000, 500);
    expect(claim).toMatchObject({ lineId: line });
    expect('lineId' in (await scheduler.claimNext(0, 10_400, 500))).toBe(false);
    expect(await scheduler.claimNext(0, 10_500, 500)).toMatchObject({ lineId: line });
  });

  it('drops a line from the ready set once its queue is empty, and remove() works outside a lease', async () => {
    const line = randomUUID();
    await scheduler.enqueue(line, 'x', 1n, 20_000);
    await scheduler.enqueue(line, 'y', 2n, 20_000);
    await scheduler.remove(line, 'x');
    expect(await scheduler.head(line, 10)).toEqual(['y']);
    await scheduler.remove(line, 'y');
    expect(await scheduler.queuedCount(line)).toBe(0);
    const ready = await redis.client.zscore(`${config.REDIS_PREFIX}:{sched:0}:ready`, line);
    expect(ready).toBeNull();
  });

  it('enqueues a page of messages in one round trip, counting only those not queued yet', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await scheduler.enqueue(a, 'p1', 1n, 30_000);
    const added = await scheduler.enqueueMany(
      [
        { lineId: a, messageId: 'p1', seq: 1n },
        { lineId: a, messageId: 'p2', seq: 2n },
        { lineId: b, messageId: 'p3', seq: 3n },
      ],
      30_000,
    );
    expect(added).toBe(2);
    expect(await scheduler.head(a, 10)).toEqual(['p1', 'p2']);
    expect(await scheduler.head(b, 10)).toEqual(['p3']);
    expect(await scheduler.enqueueMany([], 30_000)).toBe(0);
  });

  it('spreads lines over shards whose keys share one hash tag each', () => {
    const many = new LineSchedulerRepository(redis, { ...config, DISPATCH_SHARDS: 8 });
    const shards = new Set(Array.from({ length: 200 }, () => many.shardOf(randomUUID())));
    expect(shards.size).toBe(8);
  });
});
