import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@bridgefleet/db/prisma-client.js';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { pollUntil } from '@bridgefleet/testing/webhook-receiver.js';
import { OutboxHandlers } from '../apps/control-plane/src/outbox/outbox.handlers.js';
import { OutboxRelay } from '../apps/control-plane/src/outbox/outbox.relay.js';
import { OutboxWriter } from '../apps/control-plane/src/outbox/outbox.writer.js';

// The dispatcher is another feature; here messages must stay where intake left them.
const NO_DISPATCH = { DISPATCH_ENABLED: 'false' };

describe('messages', () => {
  let cp: TestControlPlane;
  let db: PrismaClient;

  beforeAll(async () => {
    // An API-only process: no relay drains the outbox behind the test's back; the relay test drives it by hand.
    cp = await startControlPlane({ ...NO_DISPATCH, ROLES: 'api' });
    db = createPrismaClient(process.env.TEST_DATABASE_URL!, 2);
  });
  afterAll(async () => {
    await cp?.close();
    await db?.$disconnect();
  });

  it('accepts a message with 202, stores it queued with its history and an outbox row', async () => {
    const sent = await cp.admin.post('/v1/messages', {
      to: '+1 415 555 0123'.replace(/ /g, ''),
      body: 'Your code is 123456',
      attachments: [{ url: 'https://example.com/a.png', mimeType: 'image/png' }],
      validForSeconds: 600,
      metadata: { orderId: 'o-1', priority: 2, vip: true },
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({
      id: expect.any(String),
      status: 'queued',
      to: '+14155550123',
      lineId: null,
      createdAt: expect.any(String),
    });

    const got = await cp.admin.get(`/v1/messages/${sent.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: sent.body.id,
      direction: 'outbound',
      to: '+14155550123',
      status: 'queued',
      body: 'Your code is 123456',
      attachments: [{ url: 'https://example.com/a.png', mimeType: 'image/png' }],
      metadata: { orderId: 'o-1', priority: 2, vip: true },
      attempts: 0,
      error: null,
      lineId: null,
    });
    expect(got.body.history).toEqual([{ status: 'queued', at: sent.body.createdAt }]);
    expect(new Date(got.body.validUntil).getTime() - new Date(sent.body.createdAt).getTime()).toBe(600_000);
    const outbox = await db.outboxEntry.findMany({ where: { topic: 'message.queued' } });
    expect(outbox.map((row) => (row.payload as { messageId: string }).messageId)).toContain(sent.body.id);
  });

  it('refuses invalid bodies with 400 and stores nothing', async () => {
    const before = await db.message.count();
    const outboxBefore = await db.outboxEntry.count();
    const cases: Array<[unknown, string]> = [
      [{ to: '+14155550123', body: 'x', color: 'red' }, 'color'],
      [{ to: '+14155550123', attachments: [{ url: 'https://example.com/a.png', size: 3 }] }, 'attachments.0.size'],
      [{ to: 'not-a-handle', body: 'x' }, 'to'],
      [{ to: '+1415', body: 'x' }, 'to'],
      [{ to: '+14155550123' }, 'body'],
      [{ to: '+14155550123', body: '' }, 'body'],
      [{ to: '+14155550123', attachments: [] }, 'body'],
      [{ to: '+14155550123', attachments: [{ url: 'file:///etc/passwd' }] }, 'attachments.0.url'],
      [{ to: '+14155550123', body: 'x', validForSeconds: 5 }, 'validForSeconds'],
      [{ to: '+14155550123', body: 'x', metadata: { nested: { a: 1 } } }, 'metadata.nested'],
    ];
    for (const [body, path] of cases) {
      const response = await cp.admin.post('/v1/messages', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(`body.${path}`);
    }
    expect(await db.message.count()).toBe(before);
    expect(await db.outboxEntry.count()).toBe(outboxBefore);
  });

  it('checks scopes: messages:write to send, messages:read to read', async () => {
    const reader = (await cp.admin.post('/v1/keys', { name: 'reader', scopes: ['messages:read'] })).body.key;
    const writer = (await cp.admin.post('/v1/keys', { name: 'writer', scopes: ['messages:write'] })).body.key;
    expect((await cp.client(reader).post('/v1/messages', { to: 'a@example.com', body: 'x' })).status).toBe(403);
    const sent = await cp.client(writer).post('/v1/messages', { to: 'A@Example.com', body: 'x' });
    expect(sent.status).toBe(202);
    expect(sent.body.to).toBe('a@example.com');
    expect((await cp.client(writer).get(`/v1/messages/${sent.body.id}`)).status).toBe(403);
    expect((await cp.client(reader).get(`/v1/messages/${sent.body.id}`)).status).toBe(200);
    expect((await cp.client().get(`/v1/messages/${sent.body.id}`)).status).toBe(401);
  });

  it('lists with filters and keyset pagination', async () => {
    const to = 'pages@example.com';
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await cp.admin.post('/v1/messages', { to, body: `m${i}` })).body.id);
    const first = await cp.admin.get(`/v1/messages?to=${encodeURIComponent(to)}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((item: { id: string }) => item.id)).toEqual([ids[2], ids[1]]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await cp.admin.get(`/v1/messages?to=${encodeURIComponent(to)}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((item: { id: string }) => item.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
    const none = await cp.admin.get(`/v1/messages?to=${encodeURIComponent(to)}&status=sent`);
    expect(none.body.items).toEqual([]);
    const queued = await cp.admin.get(`/v1/messages?status=queued&direction=outbound&limit=500`);
    expect(queued.body.items.map((item: { id: string }) => item.id)).toEqual(expect.arrayContaining(ids));
    expect((await cp.admin.get('/v1/messages?cursor=garbage')).status).toBe(400);
    expect((await cp.admin.get('/v1/messages?status=lost')).status).toBe(400);
  });

  it('cancels before sending (history, audit) and answers 409 from sending on', async () => {
    const sent = await cp.admin.post('/v1/messages', { to: 'cancel@example.com', body: 'never mind' });
    const canceled = await cp.admin.post(`/v1/messages/${sent.body.id}/cancel`);
    expect(canceled.status).toBe(200);
    expect(canceled.body.status).toBe('canceled');
    expect(canceled.body.history.map((entry: { status: string }) => entry.status)).toEqual(['queued', 'canceled']);
    expect((await cp.admin.post(`/v1/messages/${sent.body.id}/cancel`)).status).toBe(409);
    const audit = await cp.admin.get(`/v1/audit?targetId=${sent.body.id}`);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual(['message.cancel']);

    const sending = await cp.admin.post('/v1/messages', { to: 'sending@example.com', body: 'on its way' });
    await db.message.update({ where: { id: sending.body.id }, data: { status: 'sending' } });
    const refused = await cp.admin.post(`/v1/messages/${sending.body.id}/cancel`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain('sending');
    expect((await cp.admin.get(`/v1/messages/${sending.body.id}`)).body.status).toBe('sending');
    expect((await cp.admin.post('/v1/messages/00000000-0000-4000-8000-000000000000/cancel')).status).toBe(404);
  });

  it('relays outbox rows to their topic handler, keeping a row until its handler succeeds', async () => {
    const calls: string[] = [];
    cp.app.get(OutboxHandlers).register('test.relay', async (entry) => {
      calls.push((entry.payload as { n: string }).n);
      if (calls.length === 1) throw new Error('redis is away');
    });
    await db.$transaction(async (tx) => cp.app.get(OutboxWriter).append(tx, 'test.relay', { n: 'one' }));
    const relay = cp.app.get(OutboxRelay);
    await relay.relayOnce();
    expect(await db.outboxEntry.count({ where: { topic: 'test.relay' } })).toBe(1);
    // The failed row backs off (a few hundred ms), then the next pass hands it over again.
    await pollUntil(async () => {
      await relay.relayOnce();
      return (await db.outboxEntry.count({ where: { topic: 'test.relay' } })) === 0;
    }, 'the relay to delete the row');
    expect(calls).toEqual(['one', 'one']);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('messages while Redis is down', () => {
  let redis: ChildProcess | undefined;
  let cp: TestControlPlane | undefined;
  let db: PrismaClient;

  beforeAll(async () => {
    db = createPrismaClient(process.env.TEST_DATABASE_URL!, 2);
    // Our own Redis on an ephemeral port: the shared one is never stopped.
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    await pollUntil(
      () =>
        probe
          .connect()
          .then(() => true)
          .catch(() => false),
      'redis-server to start',
    );
    probe.disconnect();
    cp = await startControlPlane({ ...NO_DISPATCH, REDIS_URL: `redis://127.0.0.1:${port}/0` });
  });
  afterAll(async () => {
    await cp?.close();
    if (redis?.exitCode === null) redis.kill('SIGKILL');
    await db?.$disconnect();
  });

  it('still accepts into the outbox: 202 only for what Postgres stored', async () => {
    const exited = new Promise((resolve) => redis!.once('exit', resolve));
    redis!.kill('SIGKILL');
    await exited;
    expect((await cp!.client().get('/readyz')).body.checks.redis.status).toBe('down');

    const sent = await cp!.admin.post(
      '/v1/messages',
      { to: 'offline@example.com', body: 'stored anyway' },
      { 'Idempotency-Key': 'redis-down-1' },
    );
    expect(sent.status).toBe(202);
    const stored = await db.message.findUnique({ where: { id: sent.body.id } });
    expect(stored).toMatchObject({ status: 'queued', contactHandle: 'offline@example.com', idempotencyKey: 'redis-down-1' });
    const outbox = await db.outboxEntry.findMany({ where: { topic: 'message.queued' } });
    // The row stays until a relay hands it to the (Redis-backed) dispatcher: nothing is lost.
    expect(outbox.some((row) => (row.payload as { messageId: string }).messageId === sent.body.id)).toBe(true);
  });
});

describe('messages while PostgreSQL is unreachable', () => {
  it('answers 503 with Retry-After, never 202', async () => {
    const { createServer: createTcpServer, connect } = await import('node:net');
    const sockets = new Set<import('node:net').Socket>();
    // A TCP proxy in front of the shared PostgreSQL that the test can cut.
    const proxy = createTcpServer((client) => {
      const upstream = connect(5432, '127.0.0.1');
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.port = String((proxy.address() as { port: number }).port);
    const cp = await startControlPlane({ ...NO_DISPATCH, ROLES: 'api', DATABASE_URL: url.toString() });
    try {
      expect((await cp.admin.post('/v1/messages', { to: 'pgup@example.com', body: 'x' })).status).toBe(202);
      proxy.close();
      for (const socket of sockets) socket.destroy();
      const refused = await cp.admin.post('/v1/messages', { to: 'pgdown@example.com', body: 'x' }, { 'Idempotency-Key': 'pg-down' });
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await cp.close();
    }
  });
});
