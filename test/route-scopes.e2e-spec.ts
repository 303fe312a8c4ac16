import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '@bridgefleet/contracts/keys.schema.js';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';

/**
 * The auth matrix for every route the running control plane documents, so routes
 * other features add are covered without touching this file.
 */

// Unauthenticated on purpose: probes, metrics, the API reference.
const PUBLIC_ROUTES = new Set([
  'get /healthz',
  'get /readyz',
  'get /metrics',
  'get /docs',
  'get /docs/openapi.json',
  'get /docs/assets/docs-init.js',
]);
// Called by node agents with their own credential (HMAC-signed body), never by API keys.
const AGENT_PREFIX = '/v1/agent/';
// The routes and scopes the API contract (API.md) promises: outside clients are written against it;
// path parameters are compared without their names. `undefined`: the contract names no scope.
const CONTRACT: [string, Scope | 'agent' | undefined][] = [
  ['post /v1/keys', 'admin'],
  ['get /v1/keys', 'admin'],
  ['delete /v1/keys/{}', 'admin'],
  ['post /v1/nodes', 'fleet:write'],
  ['get /v1/nodes', 'fleet:read'],
  ['get /v1/nodes/{}', 'fleet:read'],
  ['patch /v1/nodes/{}', 'fleet:write'],
  ['delete /v1/nodes/{}', 'fleet:write'],
  ['post /v1/lines', 'fleet:write'],
  ['get /v1/lines', 'fleet:read'],
  ['get /v1/lines/{}', 'fleet:read'],
  ['patch /v1/lines/{}', 'fleet:write'],
  ...['cordon', 'uncordon', 'drain', 'retire', 'flag', 'ban', 'clear'].map((action): [string, Scope] => [
    `post /v1/lines/{}/${action}`,
    'fleet:write',
  ]),
  ['get /v1/contacts/{}', 'fleet:read'],
  ['put /v1/contacts/{}/line', 'fleet:write'],
  ['get /v1/fleet/settings', 'fleet:read'],
  ['patch /v1/fleet/settings', 'fleet:write'],
  ['post /v1/messages', 'messages:write'],
  ['get /v1/messages', 'messages:read'],
  ['get /v1/messages/{}', 'messages:read'],
  ['post /v1/messages/{}/cancel', 'messages:write'],
  ['post /v1/webhooks', 'admin'],
  ['get /v1/webhooks/{}/deliveries', undefined],
  ['post /v1/webhooks/deliveries/{}/replay', undefined],
  ['get /v1/runbooks', 'fleet:read'],
  ['post /v1/nodes/{}/remediations', 'remediation:run'],
  ['get /v1/remediations/{}', 'fleet:read'],
  ['get /v1/audit', 'admin'],
  ['post /v1/agent/events', 'agent'],
];
const MIN_SCOPED_ROUTES = CONTRACT.filter(([, scope]) => scope !== 'agent').length;
const BODY_LIMIT_BYTES = 2048;

interface Operation {
  method: string;
  path: string;
  scope?: Scope;
  params: { name: string; in: string; schema?: { format?: string; type?: string } }[];
}

function operationsOf(document: { paths: Record<string, Record<string, any>> }): Operation[] {
  return Object.entries(document.paths).flatMap(([path, verbs]) =>
    Object.entries(verbs).map(([method, operation]) => ({
      method,
      path,
      scope: operation['x-required-scope'] as Scope | undefined,
      params: (operation.parameters ?? []) as Operation['params'],
    })),
  );
}

/** Path parameters get random but well-formed values: the auth decision must come before any lookup. */
function concretePath(operation: Operation): string {
  return operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const schema = operation.params.find((param) => param.in === 'path' && param.name === name)?.schema;
    if (schema?.type === 'integer' || schema?.type === 'number') return '1';
    if (name === 'handle') return encodeURIComponent('+14155550123');
    return randomUUID();
  });
}

describe('route scopes', () => {
  let cp: TestControlPlane;
  let operations: Operation[];
  let revokedKey: string;
  const keyWithout = new Map<Scope, string>();

  beforeAll(async () => {
    cp = await startControlPlane({ BODY_LIMIT: `${BODY_LIMIT_BYTES}b` });
    const document = await cp.client().get('/docs/openapi.json');
    expect(document.status).toBe(200);
    operations = operationsOf(document.body);

    for (const scope of SCOPES) {
      const scopes = SCOPES.filter((other) => other !== scope && other !== 'admin');
      const created = await cp.admin.post('/v1/keys', { name: `all but ${scope}`, scopes });
      expect(created.status).toBe(201);
      keyWithout.set(scope, created.body.key);
    }
    const doomed = await cp.admin.post('/v1/keys', { name: 'revoked admin', scopes: ['admin'] });
    revokedKey = doomed.body.key;
    expect((await cp.admin.delete(`/v1/keys/${doomed.body.id}`)).status).toBe(200);
  });
  afterAll(async () => {
    await cp?.close();
  });

  it('documents every route the server registers', () => {
    const documented = new Set(operations.map((operation) => `${operation.method} ${operation.path}`));
    const router = (cp.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: object } }[] } }).router;
    const registered = router.stack
      .filter((layer) => layer.route)
      .flatMap((layer) => Object.keys(layer.route!.methods).map((method) => `${method} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`));
    expect(registered.length).toBeGreaterThan(MIN_SCOPED_ROUTES);
    expect(registered.filter((route) => !documented.has(route))).toEqual([]);
  });

  it('serves every route of the API contract with the scope it promises', () => {
    const served = new Map(operations.map((operation) => [`${operation.method} ${operation.path.replace(/\{[^}]+\}/g, '{}')}`, operation]));
    const problems = CONTRACT.flatMap(([route, scope]) => {
      const operation = served.get(route);
      if (!operation) return [`${route}: not served`];
      if (scope === 'agent') return operation.scope ? [`${route}: takes an API key instead of the agent credential`] : [];
      if (!operation.scope) return [`${route}: no required scope`];
      return scope && operation.scope !== scope ? [`${route}: scope ${operation.scope}, contract says ${scope}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it('gives every non-public route a required scope', () => {
    const open = operations.filter(
      (operation) =>
        !operation.scope && !PUBLIC_ROUTES.has(`${operation.method} ${operation.path}`) && !operation.path.startsWith(AGENT_PREFIX),
    );
    expect(open.map((operation) => `${operation.method} ${operation.path}`)).toEqual([]);
    expect(operations.filter((operation) => operation.scope).length).toBeGreaterThanOrEqual(MIN_SCOPED_ROUTES);
  });

  it('refuses a missing, malformed or revoked key (401) and a key without the scope (403) on every scoped route', async () => {
    const failures: string[] = [];
    const scoped = operations.filter((operation) => operation.scope);
    for (const operation of scoped) {
      const path = concretePath(operation);
      const body = ['post', 'put', 'patch'].includes(operation.method) ? {} : undefined;
      const call = (key: string | undefined) => cp.client(key).request(operation.method.toUpperCase(), path, body);
      const expectations: [string, string | undefined, number][] = [
        ['no key', undefined, 401],
        ['malformed key', 'bf_nope_short', 401],
        ['revoked key', revokedKey, 401],
        [`key without ${operation.scope}`, keyWithout.get(operation.scope!), 403],
      ];
      for (const [label, key, status] of expectations) {
        const response = await call(key);
        const problem = response.headers.get('content-type')?.includes('application/problem+json');
        if (response.status !== status || !problem) {
          failures.push(`${operation.method.toUpperCase()} ${operation.path} with ${label}: ${response.status} (want ${status})`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(scoped.length).toBeGreaterThanOrEqual(MIN_SCOPED_ROUTES);
  });

  it('refuses agent routes called without an agent signature', async () => {
    for (const operation of operations.filter((candidate) => candidate.path.startsWith(AGENT_PREFIX))) {
      const response = await cp.client().request(operation.method.toUpperCase(), concretePath(operation), {});
      expect(response.status, `${operation.method} ${operation.path}`).toBe(401);
    }
  });

  it('refuses a body over BODY_LIMIT with 413 and malformed JSON with 400', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(BODY_LIMIT_BYTES + 1), scopes: ['admin'] });
    const tooLarge = await cp.admin.request('POST', '/v1/keys', huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ status: 413, title: expect.any(String) });

    const malformed = await cp.admin.request('POST', '/v1/keys', '{"name": "half');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    expect(malformed.body).toMatchObject({ status: 400 });

    const listed = await cp.admin.get('/v1/keys');
    expect(listed.body.items.some((key: { name: string }) => key.name.startsWith('xxx'))).toBe(false);
  });
});
