import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';

const BODY = 'the text of a private message 7f3a';

describe('structured logs', () => {
  let cp: TestControlPlane;
  let captured = '';
  const realWrite = process.stdout.write.bind(process.stdout);

  beforeAll(async () => {
    // The logger writes through process.stdout at each line, so this sees every line.
    process.stdout.write = ((chunk: string | Uint8Array) => {
      captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    }) as typeof process.stdout.write;
    cp = await startControlPlane({ LOG_LEVEL: 'debug', HEALTH_POLLER_ENABLED: 'false', ROLES: 'api' });
  });

  afterAll(async () => {
    await cp?.close();
    process.stdout.write = realWrite;
  });

  function lines(): Record<string, unknown>[] {
    return captured
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it('logs a message send as JSON with its request id, never the key or the body', async () => {
    const created = await cp.admin.post('/v1/keys', { name: 'log-writer', scopes: ['messages:write'] });
    const key = created.body.key as string;
    const response = await cp
      .client(key)
      .post('/v1/messages', { to: '+14155550177', body: BODY }, { 'idempotency-key': 'log-1', 'x-request-id': 'req-log-test-1' });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-request-id')).toBe('req-log-test-1');

    const entry = lines().find((line) => line.event === 'http.request' && line.requestId === 'req-log-test-1');
    expect(entry).toMatchObject({
      method: 'POST',
      route: '/v1/messages',
      status: 202,
      level: 'info',
      bodyLength: BODY.length,
      bodySha256: createHash('sha256').update(BODY).digest('hex'),
    });
    expect(captured).not.toContain(BODY);
    expect(captured).not.toContain(key);
    expect(captured).not.toContain(key.split('_')[2]!);
    expect(captured).not.toContain(cp.adminKey.split('_')[2]!);
  });

  it('gives a request without an id a new one and echoes it', async () => {
    const response = await cp.client().get('/healthz');
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines().some((line) => line.requestId === id && line.path === '/healthz')).toBe(true);
  });

  it('replaces a caller id that is not plain', async () => {
    const response = await cp.client().get('/healthz', { 'x-request-id': 'bad id with spaces {}' });
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
