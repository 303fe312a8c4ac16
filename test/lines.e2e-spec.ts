import pg from 'pg';
import { DEFAULT_GOVERNOR_TUNING } from '@bridgefleet/policy/governor/governor-tuning.js';
import { warmupCaps } from '@bridgefleet/policy/governor/warmup.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governorDay } from '@bridgefleet/policy/governor-day.js';
import { startApiOnlyFleet, type ApiOnlyFleet } from '@bridgefleet/testing/api-only-fleet.js';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { createLine, createNode, uniquePhoneNumber } from '@bridgefleet/testing/fleet-fixtures.js';

// API role only: no poller or workers changing nodes and lines behind the assertions.
const API_ONLY = { ROLES: 'api' };

describe('lines', () => {
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

  const auditOf = async (id: string) => (await cp.admin.get(`/v1/audit?targetId=${id}`)).body.items as any[];
  const lineCount = async () => Number((await db.query('SELECT count(*) AS n FROM lines')).rows[0].n);
  const auditCount = async () => Number((await db.query('SELECT count(*) AS n FROM audit_events')).rows[0].n);

  it('adds a line: active, warming, fleet-default limits, empty usage for the current governor day', async () => {
    const phoneNumber = uniquePhoneNumber();
    const created = await cp.admin.post('/v1/lines', { phoneNumber, appleId: 'ops+line1@example.com', nodeId: node.id });
    expect(created.status).toBe(201);
    const settings = (await cp.admin.get('/v1/fleet/settings')).body;
    const warmup = warmupCaps(settings.limits, new Date(created.body.warmupStartedAt), new Date(), {
      timeZone: settings.timeZone,
      dayResetTime: settings.dayResetTime,
      floor: DEFAULT_GOVERNOR_TUNING.warmupFloor,
    });
    expect(warmup.dailyCap).toBeLessThan(settings.limits.dailyCap);
    expect(created.body).toMatchObject({
      phoneNumber,
      appleId: 'ops+line1@example.com',
      nodeId: node.id,
      admin: 'active',
      reputation: 'warming',
      health: 'unknown',
      limits: {},
      effectiveLimits: settings.limits,
      usage: {
        day: governorDay(new Date(), settings.timeZone, settings.dayResetTime),
        sent: 0,
        // Day 0 of the warm-up: the governor's caps are a fraction of the full ones.
        cap: warmup.dailyCap,
        newContacts: 0,
        newContactCap: warmup.dailyNewContacts,
        inbound: 0,
        ratio: null,
        remaining: warmup.dailyCap,
      },
      contacts: 0,
      sendable: true,
      // A node nobody has probed yet is not healthy, so it gets no new contacts.
      assignable: false,
    });
    expect((await cp.admin.get(`/v1/lines/${created.body.id}`)).body).toEqual(created.body);
    const events = await auditOf(created.body.id);
    expect(events.map((event) => event.action)).toEqual(['line.create']);
    expect(events[0].detail.after).toMatchObject({ phoneNumber, nodeId: node.id });
  });

  it("shows today's usage from line_daily_usage and the effective limits after a PATCH", async () => {
    // No warm-up, so the caps shown are the full ones (day 0 of a warm-up shows a fraction).
    const line = await createLine(cp, node.id, { limits: { dailyCap: 80, warmupDays: 0 } });
    expect(line.limits).toEqual({ dailyCap: 80, warmupDays: 0 });
    expect(line.effectiveLimits.dailyCap).toBe(80);
    await db.query(
      'INSERT INTO line_daily_usage (line_id, day, sent, new_contacts, inbound) VALUES ($1, $2, 30, 4, 12), ($1, $3, 99, 9, 1)',
      [line.id, line.usage.day, '2001-01-01'],
    );
    const fetched = (await cp.admin.get(`/v1/lines/${line.id}`)).body;
    expect(fetched.usage).toEqual({
      day: line.usage.day,
      sent: 30,
      cap: 80,
      newContacts: 4,
      newContactCap: line.effectiveLimits.dailyNewContacts,
      inbound: 12,
      ratio: 2.5,
      remaining: 50,
    });

    const patched = await cp.admin.patch(`/v1/lines/${line.id}`, { limits: { dailyCap: 20, maxRatio: 3 } });
    expect(patched.status).toBe(200);
    expect(patched.body.limits).toEqual({ dailyCap: 20, maxRatio: 3, warmupDays: 0 });
    expect(patched.body.usage).toMatchObject({ cap: 20, remaining: 0 });

    const reset = await cp.admin.patch(`/v1/lines/${line.id}`, { limits: { dailyCap: null } });
    expect(reset.body.limits).toEqual({ maxRatio: 3, warmupDays: 0 });
    expect(reset.body.effectiveLimits.dailyCap).toBe((await cp.admin.get('/v1/fleet/settings')).body.limits.dailyCap);

    const events = await auditOf(line.id);
    expect(events.map((event) => event.action)).toEqual(['line.update', 'line.update', 'line.create']);
    expect(events[0].detail).toEqual({
      before: { limits: { dailyCap: 20, maxRatio: 3, warmupDays: 0 } },
      after: { limits: { maxRatio: 3, warmupDays: 0 } },
    });
  });

  it('rejects invalid bodies with field errors and adds nothing', async () => {
    const before = { lines: await lineCount(), audit: await auditCount() };
    const valid = () => ({ phoneNumber: uniquePhoneNumber(), appleId: 'a@example.com', nodeId: node.id });
    const cases: [unknown, string][] = [
      [{ ...valid(), extra: true }, 'body.extra'],
      [{ ...valid(), limits: { foo: 1 } }, 'body.limits.foo'],
      [{ ...valid(), limits: { dailyCap: 'many' } }, 'body.limits.dailyCap'],
      [{ ...valid(), phoneNumber: '4155550123' }, 'body.phoneNumber'],
      [{ ...valid(), phoneNumber: '+1415' }, 'body.phoneNumber'],
      [{ ...valid(), phoneNumber: '+10005550123' }, 'body.phoneNumber'],
      [{ ...valid(), phoneNumber: 14155550123 }, 'body.phoneNumber'],
      [{ ...valid(), appleId: 'not-an-email' }, 'body.appleId'],
      [{ ...valid(), nodeId: 5 }, 'body.nodeId'],
      [{ ...valid(), nodeId: 'node-1' }, 'body.nodeId'],
    ];
    for (const [body, path] of cases) {
      const response = await cp.admin.post('/v1/lines', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    }
    const line = await createLine(cp, node.id);
    for (const body of [{ limits: { foo: 1 } }, { limits: { dailyCap: -1 } }, { appleId: 'x@example.com' }, {}]) {
      expect((await cp.admin.patch(`/v1/lines/${line.id}`, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await cp.admin.get(`/v1/lines/${line.id}`)).body).toEqual(line);
    expect(await lineCount()).toBe(before.lines + 1);
    expect(await auditCount()).toBe(before.audit + 1);
  });

  it('refuses a duplicate phone number (409) and an unknown node (404), adding nothing', async () => {
    const line = await createLine(cp, node.id);
    const before = { lines: await lineCount(), audit: await auditCount() };
    const duplicate = await cp.admin.post('/v1/lines', { phoneNumber: line.phoneNumber, appleId: 'b@example.com', nodeId: node.id });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers.get('content-type')).toContain('application/problem+json');
    const noNode = await cp.admin.post('/v1/lines', {
      phoneNumber: uniquePhoneNumber(),
      appleId: 'c@example.com',
      nodeId: '00000000-0000-4000-8000-000000000000',
    });
    expect(noNode.status).toBe(404);
    expect(noNode.body.errors[0].path).toBe('body.nodeId');
    expect(await lineCount()).toBe(before.lines);
    expect(await auditCount()).toBe(before.audit);
    const missing = '00000000-0000-4000-8000-000000000001';
    expect((await cp.admin.get(`/v1/lines/${missing}`)).status).toBe(404);
    expect((await cp.admin.patch(`/v1/lines/${missing}`, { limits: {} })).status).toBe(404);
    expect((await cp.admin.post(`/v1/lines/${missing}/cordon`)).status).toBe(404);
    expect((await cp.admin.post(`/v1/lines/${missing}/flag`, { reason: 'x' })).status).toBe(404);
  });

  it('lists lines in pages and filters by admin, reputation and node', async () => {
    const other = await createNode(cp);
    const lines = [await createLine(cp, other.id), await createLine(cp, other.id), await createLine(cp, other.id)];
    await cp.admin.post(`/v1/lines/${lines[1].id}/cordon`);
    await cp.admin.post(`/v1/lines/${lines[2].id}/flag`, { reason: 'complaints' });

    const byNode = await cp.admin.get(`/v1/lines?nodeId=${other.id}`);
    expect(byNode.body.items.map((line: { id: string }) => line.id)).toEqual(lines.map((line) => line.id));
    const cordoned = await cp.admin.get(`/v1/lines?nodeId=${other.id}&admin=cordoned`);
    expect(cordoned.body.items.map((line: { id: string }) => line.id)).toEqual([lines[1].id]);
    const flagged = await cp.admin.get(`/v1/lines?nodeId=${other.id}&reputation=flagged`);
    expect(flagged.body.items.map((line: { id: string }) => line.id)).toEqual([lines[2].id]);

    const first = await cp.admin.get(`/v1/lines?nodeId=${other.id}&limit=2`);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await cp.admin.get(`/v1/lines?nodeId=${other.id}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((line: { id: string }) => line.id)).toEqual([lines[2].id]);
    expect(second.body.nextCursor).toBeNull();
    expect((await cp.admin.get('/v1/lines?admin=sleeping')).status).toBe(400);
    expect((await cp.admin.get('/v1/lines?bogus=1')).status).toBe(400);
  });

  it('walks the admin lifecycle, refusing invalid transitions with 409 and no change', async () => {
    const line = await createLine(cp, node.id);
    const act = (action: string, body?: unknown) => cp.admin.post(`/v1/lines/${line.id}/${action}`, body);
    const expectRefused = async (action: string) => {
      const before = { line: (await cp.admin.get(`/v1/lines/${line.id}`)).body, audit: await auditCount() };
      const refused = await act(action);
      expect(refused.status, action).toBe(409);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect((await cp.admin.get(`/v1/lines/${line.id}`)).body).toEqual(before.line);
      expect(await auditCount()).toBe(before.audit);
    };

    await expectRefused('uncordon');
    await expectRefused('activate');
    const cordoned = await act('cordon', { reason: 'too many complaints' });
    expect(cordoned.status).toBe(200);
    expect(cordoned.body).toMatchObject({ admin: 'cordoned', assignable: false, sendable: true });
    await expectRefused('cordon');
    expect((await act('uncordon')).body.admin).toBe('active');
    expect((await act('drain', { reason: 'replacing the iPhone' })).body.admin).toBe('draining');
    await expectRefused('cordon');
    await expectRefused('uncordon');
    await expectRefused('drain');
    const retired = await act('retire');
    expect(retired.body).toMatchObject({ admin: 'retired', sendable: false });
    for (const action of ['cordon', 'uncordon', 'drain', 'retire', 'activate']) await expectRefused(action);

    const events = await auditOf(line.id);
    expect(events.map((event) => event.action)).toEqual(['line.retire', 'line.drain', 'line.uncordon', 'line.cordon', 'line.create']);
    expect(events[3]).toMatchObject({
      reason: 'too many complaints',
      detail: { before: { admin: 'active' }, after: { admin: 'cordoned' } },
    });
    expect(events[1].reason).toBe('replacing the iPhone');
  });

  it('activates a line that was added as provisioning', async () => {
    const line = await createLine(cp, node.id, { admin: 'provisioning' });
    expect(line).toMatchObject({ admin: 'provisioning', sendable: false });
    expect((await cp.admin.post(`/v1/lines/${line.id}/activate`)).body.admin).toBe('active');
  });

  it('rejects unknown fields and wrong types in lifecycle bodies', async () => {
    const line = await createLine(cp, node.id);
    const extra = await cp.admin.post(`/v1/lines/${line.id}/cordon`, { reason: 'x', force: true });
    expect(extra.status).toBe(400);
    expect(extra.body.errors[0].path).toBe('body.force');
    expect((await cp.admin.post(`/v1/lines/${line.id}/cordon`, { reason: 7 })).body.errors[0].path).toBe('body.reason');
    expect((await cp.admin.get(`/v1/lines/${line.id}`)).body.admin).toBe('active');
  });

  it('flags, clears and bans by hand with a reason; a ban retires the line and cannot be cleared', async () => {
    const line = await createLine(cp, node.id);
    const act = (action: string, body?: unknown) => cp.admin.post(`/v1/lines/${line.id}/${action}`, body);
    const noReason = await act('flag', {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].path).toBe('body.reason');
    expect((await act('flag', { reason: '   ' })).status).toBe(400);
    expect((await act('clear', { reason: 'nothing to clear' })).status).toBe(409);

    const flagged = await act('flag', { reason: 'Apple warning e-mail' });
    expect(flagged.status).toBe(200);
    expect(flagged.body).toMatchObject({
      reputation: 'flagged',
      reputationReason: 'Apple warning e-mail',
      sendable: false,
      admin: 'active',
    });
    expect((await act('flag', { reason: 'again' })).status).toBe(409);
    expect((await act('clear', { reason: 'false alarm' })).body).toMatchObject({ reputation: 'good', sendable: true });

    const banned = await act('ban', { reason: 'Apple ID locked' });
    expect(banned.body).toMatchObject({ reputation: 'banned', admin: 'retired', sendable: false });
    const before = await auditCount();
    expect((await act('clear', { reason: 'please' })).status).toBe(409);
    expect((await act('ban', { reason: 'twice' })).status).toBe(409);
    expect((await act('uncordon')).status).toBe(409);
    expect(await auditCount()).toBe(before);
    expect((await cp.admin.get(`/v1/lines/${line.id}`)).body).toMatchObject({ reputation: 'banned', admin: 'retired' });

    const events = await auditOf(line.id);
    expect(events.map((event) => [event.action, event.reason])).toEqual([
      ['line.ban', 'Apple ID locked'],
      ['line.clear', 'false alarm'],
      ['line.flag', 'Apple warning e-mail'],
      ['line.create', null],
    ]);
    expect(events[0].detail).toEqual({
      before: { reputation: 'good', admin: 'active' },
      after: { reputation: 'banned', admin: 'retired' },
    });
  });

  it('lets only one of several concurrent transitions from the same state win', async () => {
    const line = await createLine(cp, node.id);
    const results = await Promise.all(Array.from({ length: 8 }, () => cp.admin.post(`/v1/lines/${line.id}/cordon`)));
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
    expect(results.filter((result) => result.status === 409)).toHaveLength(7);
    expect((await auditOf(line.id)).map((event) => event.action)).toEqual(['line.cordon', 'line.create']);

    const mixed = await Promise.all([
      cp.admin.post(`/v1/lines/${line.id}/uncordon`),
      cp.admin.post(`/v1/lines/${line.id}/drain`),
      cp.admin.post(`/v1/lines/${line.id}/uncordon`),
    ]);
    const final = (await cp.admin.get(`/v1/lines/${line.id}`)).body.admin;
    const actions = (await auditOf(line.id)).map((event) => event.action);
    // Every accepted request is one audited transition, and the audit trail replays to the final state.
    expect(mixed.filter((result) => result.status === 200)).toHaveLength(actions.length - 2);
    expect(['active', 'draining']).toContain(final);
    expect(actions.filter((action) => action === 'line.uncordon').length).toBeLessThanOrEqual(1);
  });

  it('publishes a line.state webhook with each transition', async () => {
    const hook = await cp.admin.post('/v1/webhooks', { url: 'http://127.0.0.1:9/hooks', events: ['line.state'] });
    expect(hook.status).toBe(201);
    const line = await createLine(cp, node.id);
    await cp.admin.post(`/v1/lines/${line.id}/cordon`, { reason: 'maintenance' });
    await cp.admin.post(`/v1/lines/${line.id}/ban`, { reason: 'Apple ID locked' });
    await cp.admin.post(`/v1/lines/${line.id}/uncordon`); // refused: no event
    const { rows } = await db.query(
      `SELECT payload FROM webhook_deliveries WHERE endpoint_id = $1 AND payload->'data'->>'lineId' = $2 ORDER BY created_at, id`,
      [hook.body.id, line.id],
    );
    expect(rows.map((row) => row.payload.data)).toEqual([
      expect.objectContaining({ admin: 'cordoned', previousAdmin: 'active', reputation: 'warming', reason: 'maintenance' }),
      expect.objectContaining({ admin: 'retired', previousAdmin: 'cordoned', reputation: 'banned', previousReputation: 'warming' }),
    ]);
    expect(rows[0].payload.type).toBe('line.state');
  });

  it('requires fleet:write for lifecycle actions', async () => {
    const line = await createLine(cp, node.id);
    const reader = (await cp.admin.post('/v1/keys', { name: 'reader', scopes: ['fleet:read'] })).body.key;
    expect((await cp.client(reader).post(`/v1/lines/${line.id}/cordon`)).status).toBe(403);
    expect((await cp.client(reader).get(`/v1/lines/${line.id}`)).status).toBe(200);
    expect((await cp.admin.get(`/v1/lines/${line.id}`)).body.admin).toBe('active');
  });
});

describe('scenario: register a Mac, add its line, cordon it', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane(API_ONLY);
  });
  afterAll(async () => {
    await cp?.close();
  });

  it('shows every step in the audit log', async () => {
    const node = await cp.admin.post('/v1/nodes', {
      name: `scenario-${Date.now()}`,
      agentUrl: 'http://127.0.0.1:9',
      agentToken: 'scenario-token',
    });
    expect(node.status).toBe(201);
    const phoneNumber = uniquePhoneNumber();
    const line = await cp.admin.post('/v1/lines', { phoneNumber, appleId: 'scenario@example.com', nodeId: node.body.id });
    expect(line.status).toBe(201);
    const cordoned = await cp.admin.post(`/v1/lines/${line.body.id}/cordon`, { reason: 'scenario' });
    expect(cordoned.body.admin).toBe('cordoned');

    const audit = (await cp.admin.get('/v1/audit?limit=20')).body.items as any[];
    const ours = audit.filter((event) => event.targetId === node.body.id || event.targetId === line.body.id);
    expect(ours.map((event) => event.action)).toEqual(['line.cordon', 'line.create', 'node.create']);
    expect(ours[0]).toMatchObject({ targetType: 'line', reason: 'scenario', actor: expect.stringMatching(/^key:/) });
    expect(ours[1].detail.after.phoneNumber).toBe(phoneNumber);
  });
});
