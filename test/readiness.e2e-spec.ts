import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpRelay, type TcpRelay } from '@bridgefleet/testing/agents.js';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { freshDatabase } from '@bridgefleet/testing/databases.js';
import { eventually } from '@bridgefleet/testing/eventually.js';
import { startOwnRedis, type OwnRedis } from '@bridgefleet/testing/redis-server.js';

/** /readyz answers 503 with the reason while Redis or PostgreSQL is down, and 200 again after. */
describe('readiness', () => {
  let redis: OwnRedis;
  let pgRelay: TcpRelay;
  let cp: TestControlPlane;

  beforeAll(async () => {
    redis = await startOwnRedis();
    pgRelay = await startTcpRelay();
    await pgRelay.point('http://127.0.0.1:5432');
    const database = new URL(await freshDatabase());
    const relayed = new URL(pgRelay.url);
    database.host = `${relayed.hostname}:${relayed.port}`;
    cp = await startControlPlane({
      DATABASE_URL: database.toString(),
      REDIS_URL: redis.url,
      HEALTH_POLLER_ENABLED: 'false',
      DISPATCH_ENABLED: 'false',
      RETRY_AFTER_SECONDS: '7',
    });
  });
  afterAll(async () => {
    await cp?.close();
    await pgRelay?.close();
    await redis?.close();
  });

  it('is ready while both answer', async () => {
    const ready = await cp.client().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { postgres: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('answers 503 naming Redis while Redis is down, and recovers', async () => {
    await redis.kill9();
    const down = await eventually(async () => {
      const response = await cp.client().get('/readyz');
      return response.status === 503 && response;
    }, '503 while Redis is down');
    expect(down.headers.get('retry-after')).toBe('7');
    expect(down.body.status).toBe('not_ready');
    expect(down.body.checks.redis.status).toBe('down');
    expect(down.body.checks.redis.error).toEqual(expect.any(String));
    expect(down.body.checks.postgres.status).toBe('up');
    expect((await cp.client().get('/healthz')).status).toBe(200);

    await redis.start();
    await eventually(async () => (await cp.client().get('/readyz')).status === 200, 'ready again after Redis is back');
  });

  it('answers 503 naming PostgreSQL while PostgreSQL is unreachable, and recovers', async () => {
    await pgRelay.point(undefined);
    const down = await eventually(async () => {
      const response = await cp.client().get('/readyz');
      return response.status === 503 && response;
    }, '503 while PostgreSQL is down');
    expect(down.body.checks.postgres.status).toBe('down');
    expect(down.body.checks.redis.status).toBe('up');

    await pgRelay.point('http://127.0.0.1:5432');
    await eventually(async () => (await cp.client().get('/readyz')).status === 200, 'ready again after PostgreSQL is back');
  });
});
