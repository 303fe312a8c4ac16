import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@bridgefleet/db/prisma-client.js';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { IdempotencyPurger } from '../apps/control-plane/src/messages/idempotency.purger.js';

describe('POST /v1/messages idempotency', () => {
  let cp: TestControlPlane;
  let db: PrismaClient;

  beforeAll(async () => {
    cp = await startControlPlane({ DISPATCH_ENABLED: 'false', ROLES: 'api' });
    db = createPrismaClient(process.env.TEST_DATABASE_URL!, 2);
  });
  afterAll(async () => {
    await cp?.close();
    await db?.$disconnect();
  });

  const send = (body: unknown, key?: string, client = cp.admin) =>
    client.post('/v1/messages', body, key === undefined ? {} : { 'Idempotency-Key': key });

  it('replays the first response for the same key and body, storing one message', async () => {
    const body = { to: 'idem1@example.com', body: 'once', metadata: { a: 1, b: 'x' } };
    const first = await send(body, 'order-1');
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    // Same body with keys in another order: the same request.
    const again = await send({ metadata: { b: 'x', a: 1 }, body: 'once', to: 'idem1@example.com' }, 'order-1');
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await db.message.count({ where: { idempotencyKey: 'order-1' } })).toBe(1);
    expect(await db.outboxEntry.count({ where: { payload: { equals: { messageId: first.body.id } } } })).toBe(1);
  });

  it('answers 422 for the same key with another body, and stores nothing', async () => {
    const first = await send({ to: 'idem2@example.com', body: 'one' }, 'order-2');
    expect(first.status).toBe(202);
    const before = await db.message.count();
    const other = await send({ to: 'idem2@example.com', body: 'two' }, 'order-2');
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    expect(await db.message.count()).toBe(before);
  });

  it('scopes keys per API key', async () => {
    const other = cp.client((await cp.admin.post('/v1/keys', { name: 'other', scopes: ['messages:write'] })).body.key);
    const body = { to: 'idem3@example.com', body: 'shared key' };
    const mine = await send(body, 'order-3');
    const theirs = await send(body, 'order-3', other);
    expect(theirs.status).toBe(202);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
  });

  it('never stores two messages for concurrent identical requests', async () => {
    const body = { to: 'idem4@example.com', body: 'race' };
    const responses = await Promise.all(Array.from({ length: 8 }, () => send(body, 'order-4')));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 202).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 202 || status === 409)).toBe(true);
    const fresh = responses.filter((response) => response.status === 202 && response.headers.get('idempotent-replayed') === null);
    expect(fresh).toHaveLength(1);
    const ids = new Set(responses.filter((response) => response.status === 202).map((response) => response.body.id));
    expect(ids.size).toBe(1);
    for (const conflict of responses.filter((response) => response.status === 409)) expect(conflict.headers.get('retry-after')).toBe('1');
    expect(await db.message.count({ where: { idempotencyKey: 'order-4' } })).toBe(1);
  });

  it('refuses a malformed key with 400 before storing anything', async () => {
    const before = await db.message.count();
    expect((await send({ to: 'idem5@example.com', body: 'x' }, 'k'.repeat(256))).status).toBe(400);
    expect((await send({ to: 'idem5@example.com', body: 'x' }, 'tab\tkey')).status).toBe(400);
    expect(await db.message.count()).toBe(before);
  });

  it('forgets keys after 24 h: an expired record is overwritten, and purged', async () => {
    const first = await send({ to: 'idem6@example.com', body: 'old' }, 'order-6');
    await db.idempotencyRecord.updateMany({ where: { key: 'order-6' }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    const reuse = await send({ to: 'idem6@example.com', body: 'new' }, 'order-6');
    expect(reuse.status).toBe(202);
    expect(reuse.body.id).not.toBe(first.body.id);
    const record = await db.idempotencyRecord.findFirstOrThrow({ where: { key: 'order-6' } });
    expect(record.expiresAt.getTime()).toBeGreaterThan(Date.now() + 23 * 3600 * 1000);

    await send({ to: 'idem7@example.com', body: 'x' }, 'order-7');
    await db.idempotencyRecord.updateMany({ where: { key: 'order-7' }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await cp.app.get(IdempotencyPurger).purge()).toBeGreaterThanOrEqual(1);
    expect(await db.idempotencyRecord.count({ where: { key: 'order-7' } })).toBe(0);
    expect(await db.idempotencyRecord.count({ where: { key: 'order-6' } })).toBe(1);
  });

  it('works without a key: accepted, not deduplicated, nothing kept (docs/api-idempotency.md)', async () => {
    const keyed = await send({ to: 'idem8@example.com', body: 'same' }, 'order-8');
    const records = await db.idempotencyRecord.count();
    const a = await send({ to: 'idem8@example.com', body: 'same' });
    const b = await send({ to: 'idem8@example.com', body: 'same' });
    expect(a.status).toBe(202);
    expect(b.status).toBe(202);
    expect(a.headers.get('idempotent-replayed')).toBeNull();
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(new Set([keyed.body.id, a.body.id, b.body.id]).size).toBe(3);
    expect(await db.message.count({ where: { contactHandle: 'idem8@example.com' } })).toBe(3);
    expect(await db.idempotencyRecord.count()).toBe(records);
  });
});
