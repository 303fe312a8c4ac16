import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FLEET_SETTINGS } from '@bridgefleet/contracts/fleet-settings.schema.js';
import { governorDay } from '@bridgefleet/policy/governor-day.js';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { createLine, createNode } from '@bridgefleet/testing/fleet-fixtures.js';

// API role only: no poller or workers changing nodes and lines behind the assertions.
const API_ONLY = { ROLES: 'api' };

describe('fleet settings', () => {
  let cp: TestControlPlane;
  let db: pg.Client;
  beforeAll(async () => {
    db = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await db.connect();
    // Start from a database without the settings row, as a fresh install does.
    await db.query('DELETE FROM fleet_settings');
    cp = await startControlPlane(API_ONLY);
  });
  afterAll(async () => {
    // Leave the defaults behind for the files that run after this one.
    await db?.query('UPDATE fleet_settings SET settings = $1 WHERE id = 1', [JSON.stringify(DEFAULT_FLEET_SETTINGS)]);
    await db?.end();
    await cp?.close();
  });

  const stored = async () => (await db.query('SELECT id, settings FROM fleet_settings')).rows;
  const settingsAudit = async () => (await cp.admin.get('/v1/audit?action=fleet.settings.update')).body.items as any[];

  it('creates row 1 with the defaults when absent', async () => {
    const response = await cp.admin.get('/v1/fleet/settings');
    expect(response.status).toBe(200);
    expect(response.body).toEqual(DEFAULT_FLEET_SETTINGS);
    expect(await stored()).toEqual([{ id: 1, settings: DEFAULT_FLEET_SETTINGS }]);
  });

  it('deep-merges a PATCH, stores it, and audits before and after', async () => {
    const patch = { limits: { dailyCap: 150 }, health: { pollIntervalSeconds: 5 }, remediation: { autoRemediation: false } };
    const response = await cp.admin.patch('/v1/fleet/settings', patch);
    expect(response.status).toBe(200);
    const expected = {
      ...DEFAULT_FLEET_SETTINGS,
      limits: { ...DEFAULT_FLEET_SETTINGS.limits, dailyCap: 150 },
      health: { ...DEFAULT_FLEET_SETTINGS.health, pollIntervalSeconds: 5 },
      remediation: { ...DEFAULT_FLEET_SETTINGS.remediation, autoRemediation: false },
    };
    expect(response.body).toEqual(expected);
    expect((await cp.admin.get('/v1/fleet/settings')).body).toEqual(expected);
    expect((await stored())[0].settings).toEqual(expected);

    const [event] = await settingsAudit();
    expect(event).toMatchObject({ action: 'fleet.settings.update', targetType: 'fleet_settings', actor: expect.stringMatching(/^key:/) });
    expect(event.detail).toEqual({ patch, before: DEFAULT_FLEET_SETTINGS, after: expected });
  });

  it('rejects invalid patches with field errors and changes nothing', async () => {
    const before = { settings: (await cp.admin.get('/v1/fleet/settings')).body, audit: (await settingsAudit()).length };
    const cases: [unknown, string][] = [
      [{ timeZone: 'Mars/Olympus_Mons' }, 'body.timeZone'],
      [{ dayResetTime: '25:00' }, 'body.dayResetTime'],
      [{ dayResetTime: 3 }, 'body.dayResetTime'],
      [{ limits: { foo: 1 } }, 'body.limits.foo'],
      [{ limits: { dailyCap: '200' } }, 'body.limits.dailyCap'],
      [{ health: { pollIntervalSeconds: 0 } }, 'body.health.pollIntervalSeconds'],
      [{ remediation: { ladder: [] } }, 'body.remediation.ladder'],
      [{ colour: 'blue' }, 'body.colour'],
    ];
    for (const [body, path] of cases) {
      const response = await cp.admin.patch('/v1/fleet/settings', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    }
    expect((await cp.admin.get('/v1/fleet/settings')).body).toEqual(before.settings);
    expect((await settingsAudit()).length).toBe(before.audit);
  });

  it("feeds lines' effective limits and governor day", async () => {
    const node = await createNode(cp);
    const plain = await createLine(cp, node.id);
    const overridden = await createLine(cp, node.id, { limits: { dailyCap: 10 } });
    // No warm-up: the usage shows the full cap, not day 0's fraction of it.
    await cp.admin.patch('/v1/fleet/settings', {
      limits: { dailyCap: 321, warmupDays: 0 },
      timeZone: 'Pacific/Kiritimati',
      dayResetTime: '05:30',
    });

    const now = new Date();
    const line = (await cp.admin.get(`/v1/lines/${plain.id}`)).body;
    expect(line.effectiveLimits.dailyCap).toBe(321);
    expect(line.usage).toMatchObject({ cap: 321, day: governorDay(now, 'Pacific/Kiritimati', '05:30') });
    expect((await cp.admin.get(`/v1/lines/${overridden.id}`)).body.effectiveLimits.dailyCap).toBe(10);
  });

  it('requires fleet:read to read and fleet:write to change', async () => {
    const reader = (await cp.admin.post('/v1/keys', { name: 'reader', scopes: ['fleet:read'] })).body.key;
    const writer = (await cp.admin.post('/v1/keys', { name: 'writer', scopes: ['fleet:write'] })).body.key;
    expect((await cp.client(reader).get('/v1/fleet/settings')).status).toBe(200);
    expect((await cp.client(reader).patch('/v1/fleet/settings', { dayResetTime: '04:00' })).status).toBe(403);
    expect((await cp.client(writer).patch('/v1/fleet/settings', { dayResetTime: '04:00' })).body.dayResetTime).toBe('04:00');
    expect((await cp.client().get('/v1/fleet/settings')).status).toBe(401);
  });
});
