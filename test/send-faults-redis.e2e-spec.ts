import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '@bridgefleet/contracts/api-key-format.js';
import { createControlPlane } from '../apps/control-plane/src/bootstrap.js';
import { loadConfig } from '../apps/control-plane/src/config/load-config.js';
import { eventually } from '@bridgefleet/testing/eventually.js';
import { allSentPerApi, exactlyOnceReport, sentOrderTo, statusesOf } from '@bridgefleet/testing/exactly-once.js';
import { newContact, startPipelineWorld, type PipelineWorld } from '@bridgefleet/testing/pipeline-world.js';
import { startOwnRedis, type OwnRedis } from '@bridgefleet/testing/redis-server.js';

/**
 * DESIGN.md / ADR 001: Redis is a cache of PostgreSQL. Whatever it loses (FLUSHALL, a
 * restart without persistence), the reconciler rebuilds routing and line queues, and
 * nothing is lost or sent twice. Each case runs against a redis-server of its own.
 */

async function send(world: PipelineWorld, to: string, body: string) {
  const response = await world.cp.admin.post('/v1/messages', { to, body });
  expect(response.status).toBe(202);
  return response.body.id as string;
}

function history(world: PipelineWorld) {
  return world.fleet.nodes.flatMap((node) => node.sim.sent());
}

function hangAll(world: PipelineWorld, state: 'hung' | 'running') {
  for (const node of world.fleet.nodes) node.sim.setFaults({ messagesApp: state });
}

async function setCordoned(world: PipelineWorld, cordoned: boolean) {
  for (const node of world.fleet.nodes) {
    const response = await world.cp.admin.post(`/v1/lines/${node.lineId}/${cordoned ? 'cordon' : 'uncordon'}`, {});
    expect(response.status).toBe(200);
  }
}

describe.each([
  {
    fault: 'FLUSHALL',
    lose: (redis: OwnRedis) =>
      redis
        .client()
        .flushall()
        .then(() => undefined),
  },
  { fault: 'kill -9, restarted empty', lose: async (redis: OwnRedis) => (await redis.kill9(), await redis.start()) },
])('send faults: Redis loses its data ($fault)', ({ lose }) => {
  let redis: OwnRedis;
  let world: PipelineWorld;
  beforeAll(async () => {
    redis = await startOwnRedis();
    world = await startPipelineWorld({
      nodes: 2,
      env: { REDIS_URL: redis.url, RECONCILE_INTERVAL_MS: '200', AGENT_SEND_TIMEOUT_MS: '300' },
    });
  });
  afterAll(async () => {
    await world?.close();
    await redis?.close();
  });

  it('rebuilds routing and line queues from PostgreSQL; every message goes out once, in order per contact', async () => {
    // Messages.app hangs on every Mac: each line holds one send in flight and the rest wait in Redis.
    hangAll(world, 'hung');
    const talkative = newContact();
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push(await send(world, talkative, `talk ${i}`));
    for (let i = 0; i < 3; i += 1) ids.push(await send(world, newContact(), `one ${i}`));
    await eventually(async () => {
      const statuses = [...(await statusesOf(world.cp.admin, ids)).values()];
      const hung = world.fleet.nodes.reduce((sum, node) => sum + node.sim.state().hungSends, 0);
      return statuses.every((s) => s === 'assigned' || s === 'sending') && hung === 2;
    }, 'every message routed and one send hung per line');
    // A message of a new contact cannot be routed while every line is cordoned: its route job waits in BullMQ.
    await setCordoned(world, true);
    const unrouted = await send(world, newContact(), 'waiting for a line');
    ids.push(unrouted);
    const probe = redis.client();
    await eventually(async () => (await probe.keys('*:bull:route:delayed')).length > 0, 'the route job delayed in BullMQ');
    expect((await statusesOf(world.cp.admin, [unrouted])).get(unrouted)).toBe('queued');

    await lose(redis);
    // The route job is gone with the rest (the control plane may already be writing new keys, so not dbsize 0).
    expect([...(await redis.client().keys('*:bull:route:delayed')), ...(await redis.client().keys(`*:bull:route:${unrouted}`))]).toEqual(
      [],
    );

    await setCordoned(world, false);
    hangAll(world, 'running');
    await eventually(async () => allSentPerApi(world.cp.admin, ids), 'every accepted message sent', {
      timeoutMs: 40_000,
      tick: () => world.clock.advance(1_000),
    });

    const report = await exactlyOnceReport(world.cp.admin, ids, history(world));
    expect(report).toEqual({ notSent: [], notOnce: [] });
    expect(sentOrderTo(talkative, history(world))).toEqual(ids.slice(0, 4));
  });
});

describe('send faults: Redis that may evict keys', () => {
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await startOwnRedis(['--maxmemory-policy', 'allkeys-lru']);
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('refuses to start: createControlPlane rejects naming noeviction', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: process.env.TEST_DATABASE_URL!,
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'bfevict',
      BRIDGEFLEET_ADMIN_KEY: generateApiKey().key,
      LOG_LEVEL: 'silent',
      MIGRATE_ON_START: 'false',
      ROLES: 'api',
      DISPATCH_ENABLED: 'false',
      HEALTH_POLLER_ENABLED: 'false',
    });
    await expect(createControlPlane(config)).rejects.toThrow(/noeviction/);
  });
});
