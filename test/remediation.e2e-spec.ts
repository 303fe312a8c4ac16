import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RemediationFinished } from '@bridgefleet/contracts/remediation.schema.js';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { startSilentListener, startSshd, type SilentListener, type TestSshd } from '@bridgefleet/testing/sshd.js';
import { RemediationEvents } from '../apps/control-plane/src/remediation/remediation-events.js';

const WRONG_FINGERPRINT = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

// The sshd is Linux, not a Mac: test runbooks come through the operator runbook file,
// the same allowlist path a site uses for its own runbooks.
function testRunbooks(dir: string) {
  return [
    {
      name: 'say',
      description: 'echo an enumerated word, then fail with 3',
      timeoutSeconds: 20,
      arguments: { word: { values: ['hello', 'bye'], default: 'hello' } },
      steps: [
        { name: 'say', command: 'echo {{word}}; echo to-stderr >&2', timeoutSeconds: 10 },
        { name: 'fail', command: 'exit 3', timeoutSeconds: 10 },
        { name: 'never', command: 'echo unreachable', timeoutSeconds: 10 },
      ],
    },
    { name: 'ok', description: 'succeeds', timeoutSeconds: 10, steps: [{ name: 'true', command: 'echo fine', timeoutSeconds: 5 }] },
    {
      name: 'touch-marker',
      description: 'leaves a trace',
      timeoutSeconds: 10,
      steps: [{ name: 'touch', command: `touch ${dir}/marker`, timeoutSeconds: 5 }],
    },
    {
      name: 'hang',
      description: 'outlives its step timeout',
      timeoutSeconds: 20,
      steps: [{ name: 'sleep', command: 'sleep 30', timeoutSeconds: 2 }],
    },
  ];
}

describe('remediation API', () => {
  let sshd: TestSshd;
  let silent: SilentListener;
  let cp: TestControlPlane;
  let dir: string;
  const finished: RemediationFinished[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bf-remediation-'));
    writeFileSync(join(dir, 'runbooks.json'), JSON.stringify(testRunbooks(dir)));
    [sshd, silent] = await Promise.all([startSshd(), startSilentListener()]);
    cp = await startControlPlane({
      SSH_PRIVATE_KEY_PATH: sshd.clientKeyPath,
      SSH_READY_TIMEOUT_MS: '1500',
      SSH_KEEPALIVE_INTERVAL_MS: '500',
      SSH_KEEPALIVE_COUNT_MAX: '2',
      REMEDIATION_RUNBOOKS_FILE: join(dir, 'runbooks.json'),
    });
    cp.app.get(RemediationEvents).subscribe((event) => void finished.push(event));
  });
  afterAll(async () => {
    await cp?.close();
    await Promise.all([sshd?.stop(), silent?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  let nodeCount = 0;
  async function createNode(ssh?: { host: string; port: number; user: string; hostKeyFingerprint: string }): Promise<string> {
    nodeCount += 1;
    const response = await cp.admin.post('/v1/nodes', {
      name: `mac-remediation-${nodeCount}`,
      agentUrl: 'http://127.0.0.1:9/',
      agentToken: 'agent-token',
      ...(ssh ? { ssh } : {}),
    });
    expect(response.status).toBe(201);
    return response.body.id;
  }
  const sshdTarget = (fingerprint = sshd.hostKeyFingerprint) => ({
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    hostKeyFingerprint: fingerprint,
  });

  async function finishedRun(id: string) {
    await expect
      .poll(async () => (await cp.admin.get(`/v1/remediations/${id}`)).body.status, { timeout: 20_000, interval: 100 })
      .toMatch(/^(succeeded|failed|timed_out)$/);
    return (await cp.admin.get(`/v1/remediations/${id}`)).body;
  }
  async function auditFor(nodeId: string) {
    const items = (await cp.admin.get(`/v1/audit?targetType=node&targetId=${nodeId}&limit=100`)).body.items as {
      action: string;
      actor: string;
      reason: string;
      result: string;
      detail: any;
    }[];
    return items.filter((event) => event.action.startsWith('remediation.'));
  }

  it('lists the allowlist: the built-in runbooks and the operator file', async () => {
    const response = await cp.admin.get('/v1/runbooks');
    expect(response.status).toBe(200);
    const names = response.body.items.map((runbook: { name: string }) => runbook.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'restart-messages',
        'restart-bluebubbles',
        'restart-agent',
        'collect-diagnostics',
        'time-sync',
        'reboot',
        'say',
        'hang',
      ]),
    );
  });

  it('runs a runbook, stores output and exit codes, audits it and emits remediation.finished', async () => {
    const nodeId = await createNode(sshdTarget());
    const key = (await cp.admin.post('/v1/keys', { name: 'oncall', scopes: ['remediation:run', 'fleet:read'] })).body;
    const oncall = cp.client(key.key);
    const accepted = await oncall.post(`/v1/nodes/${nodeId}/remediations`, {
      runbook: 'say',
      reason: 'messages stuck',
      arguments: { word: 'bye' },
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'queued', runbook: 'say', requestedBy: `key:${key.id}` });

    const run = await finishedRun(accepted.body.id);
    expect(run).toMatchObject({ status: 'failed', exitCode: 3, reason: 'messages stuck', arguments: { word: 'bye' } });
    expect(run.steps.map((s: any) => [s.name, s.status, s.exitCode])).toEqual([
      ['say', 'succeeded', 0],
      ['fail', 'failed', 3],
    ]);
    expect(run.steps[0].output).toContain('bye');
    expect(run.output).toContain('to-stderr');
    expect(run.output).not.toContain('unreachable');
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt).not.toBeNull();

    const audit = await auditFor(nodeId);
    expect(audit.map((event) => event.action)).toEqual(['remediation.finish', 'remediation.start', 'remediation.request']);
    const finish = audit[0]!;
    expect(finish).toMatchObject({ actor: `key:${key.id}`, reason: 'messages stuck', result: 'failed' });
    expect(finish.detail).toMatchObject({ runId: run.id, runbook: 'say', exitCode: 3 });
    expect(finish.detail.steps.map((s: any) => s.exitCode)).toEqual([0, 3]);
    expect(finish.detail.durationMs).toBeGreaterThanOrEqual(0);
    // The recorded duration is the run's own start to finish, not a fallback.
    expect(finish.detail.durationMs).toBe(Date.parse(run.finishedAt) - Date.parse(run.startedAt));

    await expect.poll(() => finished.find((event) => event.runId === run.id)).toMatchObject({ status: 'failed', exitCode: 3, nodeId });
    const listed = await oncall.get(`/v1/nodes/${nodeId}/remediations`);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([run.id]);
    expect((await cp.client(key.key).get('/v1/keys')).status).toBe(403);
  });

  it('refuses a node whose host key does not match the pin, before any command, and releases the lock', async () => {
    const marker = join(dir, 'marker');
    const nodeId = await createNode(sshdTarget(WRONG_FINGERPRINT));
    const accepted = await cp.admin.post(`/v1/nodes/${nodeId}/remediations`, { runbook: 'touch-marker', reason: 'test pin' });
    expect(accepted.status).toBe(202);
    const run = await finishedRun(accepted.body.id);
    expect(run.status).toBe('failed');
    expect(run.error).toContain('host key mismatch');
    expect(run.error).toContain(sshd.hostKeyFingerprint);
    expect(run.steps).toEqual([]);
    expect(existsSync(marker)).toBe(false);
    const finish = (await auditFor(nodeId))[0]!;
    expect(finish).toMatchObject({ action: 'remediation.finish', result: 'failed' });

    // Lock released; and with the right pin the same runbook does leave its marker.
    expect((await cp.admin.patch(`/v1/nodes/${nodeId}`, { ssh: sshdTarget() })).status).toBe(200);
    const again = await cp.admin.post(`/v1/nodes/${nodeId}/remediations`, { runbook: 'touch-marker', reason: 'test pin' });
    expect(again.status).toBe(202);
    expect((await finishedRun(again.body.id)).status).toBe('succeeded');
    expect(existsSync(marker)).toBe(true);
  });

  it('rejects injected or unlisted arguments with 400 before any connection is made', async () => {
    const nodeId = await createNode({ host: silent.host, port: silent.port, user: 'admin', hostKeyFingerprint: sshd.hostKeyFingerprint });
    const bad = [
      { runbook: 'say', reason: 'x', arguments: { word: 'hello; touch /tmp/pwned' } },
      { runbook: 'say', reason: 'x', arguments: { word: '$(reboot)' } },
      { runbook: 'say', reason: 'x', arguments: { word: '`reboot`' } },
      { runbook: 'say', reason: 'x', arguments: { word: 'hello\nreboot' } },
      { runbook: 'say', reason: 'x', arguments: { word: 'goodnight' } },
      { runbook: 'say', reason: 'x', arguments: { other: 'hello' } },
      { runbook: 'restart-agent', reason: 'x', arguments: { label: 'dev.bridgefleet.agent;reboot' } },
      { runbook: 'rm -rf /', reason: 'x' },
      { runbook: 'say', reason: 'x', command: 'reboot' },
    ];
    for (const body of bad) {
      const response = await cp.admin.post(`/v1/nodes/${nodeId}/remediations`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.errors.length).toBeGreaterThan(0);
    }
    expect(silent.connections()).toBe(0);
    expect((await cp.admin.get(`/v1/nodes/${nodeId}/remediations`)).body.items).toEqual([]);

    // The same node with valid input does connect (so the zero above means something),
    // and a listener that never speaks ends as timed_out, audited, with the lock released.
    const accepted = await cp.admin.post(`/v1/nodes/${nodeId}/remediations`, {
      runbook: 'say',
      reason: 'silent host',
      arguments: { word: 'hello' },
    });
    expect(accepted.status).toBe(202);
    const run = await finishedRun(accepted.body.id);
    expect(silent.connections()).toBe(1);
    expect(run.status).toBe('timed_out');
    expect(run.error).toMatch(/handshake/);
    expect((await auditFor(nodeId))[0]).toMatchObject({ action: 'remediation.finish', result: 'timed_out' });
    const next = await cp.admin.post(`/v1/nodes/${nodeId}/remediations`, { runbook: 'ok', reason: 'after timeout' });
    expect(next.status).toBe(202);
    await finishedRun(next.body.id);
  });

  it('times out against a stopped sshd and accepts a new run afterwards', async () => {
    const nodeId = await createNode(sshdTarget());
    sshd.pause();
    try {
      const accepted = await cp.admin.post(`/v1/nodes/${nodeId}/remediations`, { runbook: 'ok', reason: 'frozen sshd' });
      expect(accepted.status).toBe(202);
      const run = await finishedRun(accepted.body.id);
      expect(run.status).toBe('timed_out');
      expect((await auditFor(nodeId))[0]).toMatchObject({ action: 'remediation.finish', result: 'timed_out' });
    } finally {
      sshd.resume();
    }
    const next = await cp.admin.post(`/v1/nodes/${nodeId}/remediations`, { runbook: 'ok', reason: 'thawed' });
    expect(next.status).toBe(202);
    expect((await finishedRun(next.body.id)).status).toBe('succeeded');
  });

  it('allows one run per node at a time: a concurrent request gets 409', async () => {
    const nodeId = await createNode(sshdTarget());
    const [first, second] = await Promise.all([
      cp.admin.post(`/v1/nodes/${nodeId}/remediations`, { runbook: 'hang', reason: 'one' }),
      cp.admin.post(`/v1/nodes/${nodeId}/remediations`, { runbook: 'hang', reason: 'two' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([202, 409]);
    const winner = first.status === 202 ? first : second;
    const again = await cp.admin.post(`/v1/nodes/${nodeId}/remediations`, { runbook: 'ok', reason: 'three' });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/already queued or running/);

    const run = await finishedRun(winner.body.id);
    expect(run.status).toBe('timed_out');
    expect(run.error).toContain('"sleep" exceeded 2 s');
    const after = await cp.admin.post(`/v1/nodes/${nodeId}/remediations`, { runbook: 'ok', reason: 'four' });
    expect(after.status).toBe(202);
    expect((await finishedRun(after.body.id)).status).toBe('succeeded');
  });

  it('answers 409 for a node without an SSH target and 404 for an unknown node or run', async () => {
    const nodeId = await createNode();
    const response = await cp.admin.post(`/v1/nodes/${nodeId}/remediations`, { runbook: 'ok', reason: 'no ssh' });
    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/no SSH target/);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await cp.admin.post(`/v1/nodes/${missing}/remediations`, { runbook: 'ok', reason: 'x' })).status).toBe(404);
    expect((await cp.admin.get(`/v1/remediations/${missing}`)).status).toBe(404);
  });
});
