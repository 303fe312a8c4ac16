import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';

describe('API keys', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane();
  });
  afterAll(async () => {
    await cp?.close();
  });

  it('creates a key shown once, lists it without its secret, and revokes it', async () => {
    const created = await cp.admin.post('/v1/keys', { name: 'backend', scopes: ['messages:write'] });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^bf_[a-z0-9]{8}_[A-Za-z0-9]{43}$/);
    expect(created.body.key.startsWith(`bf_${created.body.prefix}_`)).toBe(true);

    const listed = await cp.admin.get('/v1/keys');
    const row = listed.body.items.find((item: { id: string }) => item.id === created.body.id);
    expect(row).toMatchObject({ name: 'backend', scopes: ['messages:write'], revokedAt: null });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key.split('_')[2]);

    const asNew = cp.client(created.body.key);
    expect((await asNew.get('/v1/keys')).status).toBe(403);

    const revoked = await cp.admin.delete(`/v1/keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const after = await asNew.get('/v1/keys');
    expect(after.status).toBe(401);
    expect(after.headers.get('content-type')).toContain('application/problem+json');

    const audit = await cp.admin.get(`/v1/audit?targetId=${created.body.id}`);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual(['key.revoke', 'key.create']);
  });

  it('answers readiness and liveness', async () => {
    expect((await cp.client().get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await cp.client().get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks.postgres.status).toBe('up');
  });
});
