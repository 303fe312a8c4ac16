import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@bridgefleet/db/prisma-client.js';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';

const TO = '+14155550123';
const SEVEN_DAYS = 7 * 24 * 3600;

/** [what, request body, the field `errors[].path` must name] — each must be refused with 400. */
const CASES: Array<[string, unknown, string]> = [
  ['E.164 too short', { to: '+1415', body: 'x' }, 'body.to'],
  ['E.164 too long', { to: '+141555501234567', body: 'x' }, 'body.to'],
  ['E.164 with letters', { to: '+1415555CALL', body: 'x' }, 'body.to'],
  ['neither a number nor an email', { to: 'not-a-handle', body: 'x' }, 'body.to'],
  ['no recipient', { body: 'x' }, 'body.to'],
  ['recipient not a string', { to: 14155550123, body: 'x' }, 'body.to'],
  ['empty body', { to: TO, body: '' }, 'body.body'],
  ['no body and no attachment', { to: TO }, 'body.body'],
  ['no body and an empty attachment list', { to: TO, attachments: [] }, 'body.body'],
  ['body over 20,000 characters', { to: TO, body: 'x'.repeat(20_001) }, 'body.body'],
  ['unknown top-level field', { to: TO, body: 'x', color: 'red' }, 'body.color'],
  ['unknown attachment field', { to: TO, attachments: [{ url: 'https://example.com/a.png', size: 3 }] }, 'body.attachments.0.size'],
  ['file: attachment', { to: TO, attachments: [{ url: 'file:///etc/passwd' }] }, 'body.attachments.0.url'],
  ['ftp: attachment', { to: TO, attachments: [{ url: 'ftp://example.com/a.png' }] }, 'body.attachments.0.url'],
  ['javascript: attachment', { to: TO, attachments: [{ url: 'javascript:alert(1)' }] }, 'body.attachments.0.url'],
  ['data: attachment', { to: TO, attachments: [{ url: 'data:image/png;base64,AAAA' }] }, 'body.attachments.0.url'],
  ['attachment URL not a URL', { to: TO, attachments: [{ url: 'not a url' }] }, 'body.attachments.0.url'],
  ['validForSeconds below 10', { to: TO, body: 'x', validForSeconds: 9 }, 'body.validForSeconds'],
  ['validForSeconds zero', { to: TO, body: 'x', validForSeconds: 0 }, 'body.validForSeconds'],
  ['validForSeconds negative', { to: TO, body: 'x', validForSeconds: -60 }, 'body.validForSeconds'],
  ['validForSeconds over 7 days', { to: TO, body: 'x', validForSeconds: SEVEN_DAYS + 1 }, 'body.validForSeconds'],
  ['validForSeconds not an integer', { to: TO, body: 'x', validForSeconds: 60.5 }, 'body.validForSeconds'],
  ['validForSeconds as a string', { to: TO, body: 'x', validForSeconds: '60' }, 'body.validForSeconds'],
];

describe('POST /v1/messages refuses bad input with problem+json and stores nothing', () => {
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

  const counts = async () => ({
    messages: await db.message.count(),
    outbox: await db.outboxEntry.count(),
    idempotency: await db.idempotencyRecord.count(),
  });

  it.each(CASES)('%s → 400 naming the field', async (_what, body, path) => {
    const before = await counts();
    // With an Idempotency-Key: a refused request must not leave a record that would replay the refusal.
    const response = await cp.admin.post('/v1/messages', body, { 'Idempotency-Key': `bad-${path}-${Math.random()}` });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 400, title: expect.any(String) });
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    expect(await counts()).toEqual(before);
  });

  it('a request over the body limit → 413 problem+json', async () => {
    const before = await counts();
    const response = await cp.admin.post('/v1/messages', { to: TO, body: 'x'.repeat(300 * 1024) }, { 'Idempotency-Key': 'bad-oversize' });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 413, title: 'Payload too large' });
    expect(await counts()).toEqual(before);
  });

  it('malformed JSON → 400 problem+json', async () => {
    const before = await counts();
    const response = await fetch(`${cp.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cp.adminKey}`, 'content-type': 'application/json' },
      body: '{"to": "+14155550123", "body": ',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await counts()).toEqual(before);
  });

  it('the same request done right is accepted (the table refuses for the named reason only)', async () => {
    const before = await counts();
    const ok = await cp.admin.post(
      '/v1/messages',
      { to: TO, body: 'x', attachments: [{ url: 'https://example.com/a.png' }], validForSeconds: SEVEN_DAYS },
      { 'Idempotency-Key': 'good-one' },
    );
    expect(ok.status).toBe(202);
    expect(await counts()).toEqual({ messages: before.messages + 1, outbox: before.outbox + 1, idempotency: before.idempotency + 1 });
  });
});
