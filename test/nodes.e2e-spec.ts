import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { createLine, createNode, SAMPLE_HOST_KEY_FINGERPRINT, uniqueName } from '@bridgefleet/testing/fleet-fixtures.js';

// API role only: no poller or workers changing nodes and lines behind the assertions.
const API_ONLY = { ROLES: 'api' };

const ssh = { host: 'mac-01.lan', port: 22, user: 'bridge', hostKeyFingerprint: SAMPLE_HOST_KEY_FINGERPRINT };

describe('nodes', () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane(API_ONLY);
  });
  afterAll(async () => {
    await cp?.close();
  });

  const auditOf = async (id: string) => (await cp.admin.get(`/v1/audit?targetId=${id}`)).body.items as any[];
  const nodeCount = async () => {
    let count = 0;
    let cursor: string | null = null;
    do {
      const page: any = await cp.admin.get(`/v1/nodes?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      count += page.body.items.length;
      cursor = page.body.nextCursor;
    } while (cursor);
    return count;
  };

  it('registers a node, shows it without its agent token, and audits the creation', async () => {
    const name = uniqueName('mac');
    const created = await cp.admin.post('/v1/nodes', {
      name,
      agentUrl: 'https://mac-01.lan:8443',
      agentToken: 'super-secret-agent-token',
      ssh,
      labels: { rack: 'a1' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name,
      agentUrl: 'https://mac-01.lan:8443',
      ssh,
      labels: { rack: 'a1' },
      health: { state: 'unknown', lastReport: null, lastCheckedAt: null, consecutiveFailures: 0 },
    });
    expect(created.text).not.toContain('super-secret-agent-token');
    expect(created.body).not.toHaveProperty('agentToken');

    const fetched = await cp.admin.get(`/v1/nodes/${created.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);
    expect(fetched.text).not.toContain('super-secret-agent-token');

    const events = await auditOf(created.body.id);
    expect(events.map((event) => event.action)).toEqual(['node.create']);
    expect(events[0].detail.after.name).toBe(name);
    expect(JSON.stringify(events)).not.toContain('super-secret-agent-token');
  });

  it('lists nodes in pages with a cursor and filters by health', async () => {
    const created = [await createNode(cp), await createNode(cp), await createNode(cp)];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await cp.admin.get(`/v1/nodes?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((node: { id: string }) => node.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const node of created) expect(seen).toContain(node.id);

    const unknown = await cp.admin.get('/v1/nodes?health=unknown&limit=500');
    expect(unknown.body.items.map((node: { id: string }) => node.id)).toEqual(expect.arrayContaining(created.map((node) => node.id)));
    expect((await cp.admin.get('/v1/nodes?health=healthy')).body.items).toEqual([]);
    expect((await cp.admin.get('/v1/nodes?health=sleepy')).status).toBe(400);
    expect((await cp.admin.get('/v1/nodes?cursor=not-a-cursor')).status).toBe(400);
  });

  it('patches a node and records before and after', async () => {
    const node = await createNode(cp);
    const patched = await cp.admin.patch(`/v1/nodes/${node.id}`, { agentUrl: 'http://10.0.0.7:7000', ssh, labels: { site: 'sf' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ agentUrl: 'http://10.0.0.7:7000', ssh, labels: { site: 'sf' }, name: node.name });

    const removedSsh = await cp.admin.patch(`/v1/nodes/${node.id}`, { ssh: null });
    expect(removedSsh.body.ssh).toBeNull();

    const events = await auditOf(node.id);
    expect(events.map((event) => event.action)).toEqual(['node.update', 'node.update', 'node.create']);
    expect(events[1].detail.before.agentUrl).toBe(node.agentUrl);
    expect(events[1].detail.after.agentUrl).toBe('http://10.0.0.7:7000');
  });

  it('rejects invalid bodies with field errors and changes nothing', async () => {
    const before = await nodeCount();
    const cases: [unknown, string][] = [
      [{ name: uniqueName('mac'), agentUrl: 'http://127.0.0.1:9', agentToken: 't', extra: 1 }, 'body.extra'],
      [{ name: uniqueName('mac'), agentUrl: 'http://127.0.0.1:9', agentToken: 't', ssh: { ...ssh, extra: true } }, 'body.ssh.extra'],
      [{ name: uniqueName('mac'), agentUrl: 'ftp://mac.lan', agentToken: 't' }, 'body.agentUrl'],
      [{ name: uniqueName('mac'), agentUrl: 'not a url', agentToken: 't' }, 'body.agentUrl'],
      [{ name: uniqueName('mac'), agentUrl: 'http://127.0.0.1:9', agentToken: 42 }, 'body.agentToken'],
      [{ name: uniqueName('mac'), agentUrl: 'http://127.0.0.1:9', agentToken: 't', ssh: { ...ssh, port: '22' } }, 'body.ssh.port'],
      [
        { name: uniqueName('mac'), agentUrl: 'http://127.0.0.1:9', agentToken: 't', ssh: { ...ssh, hostKeyFingerprint: 'MD5:aa:bb' } },
        'body.ssh.hostKeyFingerprint',
      ],
      [
        {
          name: uniqueName('mac'),
          agentUrl: 'http://127.0.0.1:9',
          agentToken: 't',
          ssh: { ...ssh, hostKeyFingerprint: 'SHA256:tooShort' },
        },
        'body.ssh.hostKeyFingerprint',
      ],
      [{ agentUrl: 'http://127.0.0.1:9', agentToken: 't' }, 'body.name'],
    ];
    for (const [body, path] of cases) {
      const response = await cp.admin.post('/v1/nodes', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    }
    const node = await createNode(cp);
    const badPatch = await cp.admin.patch(`/v1/nodes/${node.id}`, { labels: { ok: 'yes' }, agentToken: 7 });
    expect(badPatch.status).toBe(400);
    expect(badPatch.body.errors[0].path).toBe('body.agentToken');
    expect((await cp.admin.get(`/v1/nodes/${node.id}`)).body).toEqual(node);
    expect(await nodeCount()).toBe(before + 1);
  });

  it('answers 404 for an unknown node and 400 for a malformed id', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await cp.admin.get(`/v1/nodes/${missing}`)).status).toBe(404);
    expect((await cp.admin.patch(`/v1/nodes/${missing}`, { labels: {} })).status).toBe(404);
    expect((await cp.admin.delete(`/v1/nodes/${missing}`)).status).toBe(404);
    expect((await cp.admin.get('/v1/nodes/not-a-uuid')).status).toBe(400);
  });

  it('refuses a duplicate name with 409 and changes nothing', async () => {
    const node = await createNode(cp);
    const other = await createNode(cp);
    const before = await nodeCount();
    const duplicate = await cp.admin.post('/v1/nodes', { name: node.name, agentUrl: 'http://127.0.0.1:9', agentToken: 't' });
    expect(duplicate.status).toBe(409);
    expect((await cp.admin.patch(`/v1/nodes/${other.id}`, { name: node.name })).status).toBe(409);
    expect((await cp.admin.get(`/v1/nodes/${other.id}`)).body.name).toBe(other.name);
    expect(await nodeCount()).toBe(before);
  });

  it('deletes a node only once its lines are retired', async () => {
    const node = await createNode(cp);
    const line = await createLine(cp, node.id);
    const refused = await cp.admin.delete(`/v1/nodes/${node.id}`);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await cp.admin.get(`/v1/nodes/${node.id}`)).status).toBe(200);
    expect((await cp.admin.get(`/v1/lines/${line.id}`)).body.admin).toBe('active');
    expect((await auditOf(node.id)).map((event) => event.action)).toEqual(['node.create']);

    expect((await cp.admin.post(`/v1/lines/${line.id}/retire`, { reason: 'moving the Mac' })).status).toBe(200);
    const deleted = await cp.admin.delete(`/v1/nodes/${node.id}`);
    expect(deleted.status).toBe(204);
    expect((await cp.admin.get(`/v1/nodes/${node.id}`)).status).toBe(404);
    expect((await auditOf(node.id)).map((event) => event.action)).toEqual(['node.delete', 'node.create']);
  });

  it('requires fleet:read to read and fleet:write to change', async () => {
    const reader = (await cp.admin.post('/v1/keys', { name: 'reader', scopes: ['fleet:read'] })).body.key;
    const writer = (await cp.admin.post('/v1/keys', { name: 'writer', scopes: ['fleet:write'] })).body.key;
    const asReader = cp.client(reader);
    expect((await asReader.get('/v1/nodes')).status).toBe(200);
    expect((await asReader.post('/v1/nodes', { name: uniqueName('mac'), agentUrl: 'http://127.0.0.1:9', agentToken: 't' })).status).toBe(
      403,
    );
    const asWriter = cp.client(writer);
    const created = await asWriter.post('/v1/nodes', { name: uniqueName('mac'), agentUrl: 'http://127.0.0.1:9', agentToken: 't' });
    expect(created.status).toBe(201);
    expect((await cp.client().get('/v1/nodes')).status).toBe(401);
    const events = await auditOf(created.body.id);
    expect(events[0].actor).toMatch(/^key:/);
  });
});
