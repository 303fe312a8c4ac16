import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiOnlyFleet, type ApiOnlyFleet } from '@bridgefleet/testing/api-only-fleet.js';
import type { TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { createLine, createNode, uniquePhoneNumber } from '@bridgefleet/testing/fleet-fixtures.js';

describe('contacts', () => {
  let fleet: ApiOnlyFleet;
  let cp: TestControlPlane;
  let db: pg.Client;
  let node: any;
  beforeAll(async () => {
    fleet = await startApiOnlyFleet();
    ({ cp, db, node } = fleet);
  });
  afterAll(async () => {
    await fleet?.close();
  });

  const path = (handle: string) => `/v1/contacts/${encodeURIComponent(handle)}`;
  const auditOf = async (id: string) => (await cp.admin.get(`/v1/audit?targetId=${encodeURIComponent(id)}`)).body.items as any[];
  const contactCount = async () => Number((await db.query('SELECT count(*) AS n FROM contacts')).rows[0].n);

  it('pins a new contact to a line, reads it back by URL-encoded handle, and audits the pin', async () => {
    const line = await createLine(cp, node.id);
    const handle = uniquePhoneNumber();
    expect((await cp.admin.get(path(handle))).status).toBe(404);

    const pinned = await cp.admin.put(`${path(handle)}/line`, { lineId: line.id });
    expect(pinned.status).toBe(200);
    expect(pinned.body).toEqual({
      handle,
      lineId: line.id,
      assignedAt: expect.any(String),
      lastInboundAt: null,
      lastOutboundAt: null,
    });
    expect((await cp.admin.get(path(handle))).body).toEqual(pinned.body);
    // A literal "+" in the path is the same handle.
    expect((await cp.admin.get(`/v1/contacts/${handle}`)).body).toEqual(pinned.body);
    expect((await cp.admin.get(`/v1/lines/${line.id}`)).body.contacts).toBe(1);

    const events = await auditOf(handle);
    expect(events.map((event) => event.action)).toEqual(['contact.pin']);
    expect(events[0].detail).toEqual({ before: { lineId: null }, after: { lineId: line.id }, created: true });
  });

  it('moves a pinned contact to another line and lower-cases email handles', async () => {
    const [first, second] = [await createLine(cp, node.id), await createLine(cp, node.id)];
    expect((await cp.admin.put(`${path('Alice.Smith@Example.COM')}/line`, { lineId: first.id })).body.handle).toBe(
      'alice.smith@example.com',
    );
    const moved = await cp.admin.put(`${path('alice.smith@example.com')}/line`, { lineId: second.id });
    expect(moved.body.lineId).toBe(second.id);
    expect((await cp.admin.get(path('ALICE.SMITH@example.com'))).body.lineId).toBe(second.id);
    expect((await cp.admin.get(`/v1/lines/${first.id}`)).body.contacts).toBe(0);
    expect((await cp.admin.get(`/v1/lines/${second.id}`)).body.contacts).toBe(1);
    const events = await auditOf('alice.smith@example.com');
    expect(events[0].detail).toEqual({ before: { lineId: first.id }, after: { lineId: second.id }, created: false });
  });

  it('publishes contact.reassigned when a pinned contact moves, not when it is first pinned', async () => {
    const hook = await cp.admin.post('/v1/webhooks', { url: 'http://127.0.0.1:9/hooks', events: ['contact.reassigned'] });
    expect(hook.status).toBe(201);
    const [first, second] = [await createLine(cp, node.id), await createLine(cp, node.id)];
    const handle = uniquePhoneNumber();
    await cp.admin.put(`${path(handle)}/line`, { lineId: first.id });
    await cp.admin.put(`${path(handle)}/line`, { lineId: second.id });
    await cp.admin.put(`${path(handle)}/line`, { lineId: second.id }); // already there: no event
    const { rows } = await db.query(`SELECT payload FROM webhook_deliveries WHERE endpoint_id = $1 ORDER BY created_at, id`, [
      hook.body.id,
    ]);
    expect(rows.map((row) => row.payload.data)).toEqual([{ handle, fromLineId: first.id, toLineId: second.id, reason: 'pinned by hand' }]);
  });

  it('refuses to pin to a line that cannot send (409) or does not exist (404), changing nothing', async () => {
    const good = await createLine(cp, node.id);
    const handle = uniquePhoneNumber();
    await cp.admin.put(`${path(handle)}/line`, { lineId: good.id });
    const before = { contact: (await cp.admin.get(path(handle))).body, contacts: await contactCount() };

    const retired = await createLine(cp, node.id);
    await cp.admin.post(`/v1/lines/${retired.id}/retire`);
    const flagged = await createLine(cp, node.id);
    await cp.admin.post(`/v1/lines/${flagged.id}/flag`, { reason: 'spam reports' });
    const downNode = await createNode(cp);
    const unreachable = await createLine(cp, downNode.id);
    await db.query(`UPDATE nodes SET health_state = 'unreachable' WHERE id = $1`, [downNode.id]);

    for (const line of [retired, flagged, unreachable]) {
      const refused = await cp.admin.put(`${path(handle)}/line`, { lineId: line.id });
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      const newcomer = await cp.admin.put(`${path(uniquePhoneNumber())}/line`, { lineId: line.id });
      expect(newcomer.status).toBe(409);
    }
    expect((await cp.admin.put(`${path(handle)}/line`, { lineId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);

    expect((await cp.admin.get(path(handle))).body).toEqual(before.contact);
    expect(await contactCount()).toBe(before.contacts);
    expect((await auditOf(handle)).map((event) => event.action)).toEqual(['contact.pin']);
  });

  it('rejects invalid handles and bodies with field errors', async () => {
    const line = await createLine(cp, node.id);
    const before = await contactCount();
    const badHandle = await cp.admin.get(path('+1234'));
    expect(badHandle.status).toBe(400);
    expect(badHandle.body.errors[0].path).toBe('params.handle');
    expect((await cp.admin.get(path('not a handle'))).status).toBe(400);
    const cases: [string, unknown, string][] = [
      [uniquePhoneNumber(), { lineId: line.id, extra: 1 }, 'body.extra'],
      [uniquePhoneNumber(), { lineId: 12 }, 'body.lineId'],
      [uniquePhoneNumber(), {}, 'body.lineId'],
      ['415-555-0123', { lineId: line.id }, 'params.handle'],
    ];
    for (const [handle, body, field] of cases) {
      const response = await cp.admin.put(`${path(handle)}/line`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(field);
    }
    expect(await contactCount()).toBe(before);
  });

  it('requires fleet:read to read and fleet:write to pin', async () => {
    const line = await createLine(cp, node.id);
    const reader = (await cp.admin.post('/v1/keys', { name: 'reader', scopes: ['fleet:read'] })).body.key;
    const handle = uniquePhoneNumber();
    expect((await cp.client(reader).put(`${path(handle)}/line`, { lineId: line.id })).status).toBe(403);
    expect((await cp.client(reader).get(path(handle))).status).toBe(404);
  });
});
