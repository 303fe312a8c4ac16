import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { createNode } from '@bridgefleet/testing/fleet-fixtures.js';
import { TEST_PG_ADMIN_URL } from '@bridgefleet/testing/services.js';
import { startSshd, type TestSshd } from '@bridgefleet/testing/sshd.js';
import { AutoRemediationReconciler } from '../apps/control-plane/src/auto-remediation/auto-remediation.reconciler.js';
import { PrismaService } from '../apps/control-plane/src/database/prisma.service.js';
import { HealthEvents } from '../apps/control-plane/src/health/health-events.js';
import { StormGuardService } from '../apps/control-plane/src/health/storm-guard.service.js';

type Health = 'healthy' | 'degraded' | 'unreachable' | 'unknown';
const COOLDOWN_S = 120;
const LADDER = ['fix-agent', 'fix-messages', 'fix-bluebubbles', 'fix-reboot'];

// Each rung leaves a marker; the second one is the fix: the simulated Mac recovers once it ran.
function ladderRunbooks(dir: string) {
  return LADDER.map((name) => ({
    name,
    description: `test rung ${name}`,
    timeoutSeconds: 10,
    steps: [{ name, command: `touch ${dir}/${name}`, timeoutSeconds: 5 }],
  }));
}

describe('auto-remediation (escalation ladder against a real sshd)', () => {
  // Own database and Redis prefix: the storm guard counts the whole fleet, so only this file's nodes may count.
  const database = `bridgefleet_autorem_${randomBytes(4).toString('hex')}`;
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${database}`;
  let cp: TestControlPlane;
  let sshd: TestSshd;
  let dir: string;
  let reconciler: AutoRemediationReconciler;
  // Healthy Macs without SSH, so that one node falling is one of several, not a storm.
  const bystanders: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bf-autorem-'));
    writeFileSync(join(dir, 'runbooks.json'), JSON.stringify(ladderRunbooks(dir)));
    sshd = await startSshd();
    cp = await startControlPlane({
      DATABASE_URL: url.toString(),
      MIGRATE_ON_START: 'true',
      REDIS_PREFIX: `bfautorem${randomBytes(3).toString('hex')}`,
      // Health is driven by the test, written as the poller writes it; the timer never fires within the test.
      HEALTH_POLLER_ENABLED: 'false',
      AUTO_REMEDIATION_INTERVAL_MS: '3600000',
      SSH_PRIVATE_KEY_PATH: sshd.clientKeyPath,
      SSH_READY_TIMEOUT_MS: '3000',
      REMEDIATION_RUNBOOKS_FILE: join(dir, 'runbooks.json'),
    });
    reconciler = cp.app.get(AutoRemediationReconciler);
    for (let i = 0; i < 3; i++) {
      const node = await createNode(cp);
      bystanders.push(node.id);
      await setHealth(node.id, 'unknown', 'healthy');
    }
    // On a fresh database the settings row is created by whoever reads it first; a racing
    // first PATCH can answer 409 (the row appeared meanwhile), so it is simply retried.
    const ladder = { remediation: { autoRemediation: true, ladder: LADDER, stepCooldownSeconds: COOLDOWN_S, maxRunsPerHour: 4 } };
    let status = 0;
    for (let attempt = 0; attempt < 5 && status !== 200; attempt++) status = (await cp.admin.patch('/v1/fleet/settings', ladder)).status;
    expect(status).toBe(200);
  });

  afterAll(async () => {
    await cp?.close();
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    await admin.end();
  });

  const sshNode = () =>
    createNode(cp, { ssh: { host: sshd.host, port: sshd.port, user: sshd.user, hostKeyFingerprint: sshd.hostKeyFingerprint } });

  /** Writes a health change exactly as the poller commits one (row + audit event), then publishes it (unless told not to). */
  async function setHealth(nodeId: string, from: Health, to: Health, options: { publish?: boolean } = {}) {
    const at = new Date();
    const reason = to === 'unreachable' ? 'missed 3 consecutive probes (test)' : `agent reports ${to} (test)`;
    const prisma = cp.app.get(PrismaService);
    await prisma.$transaction(async (tx) => {
      await tx.node.update({ where: { id: nodeId }, data: { healthState: to, healthChangedAt: at, lastCheckedAt: at } });
      await tx.auditEvent.create({
        data: {
          actor: 'system:health-poller',
          action: 'node.health',
          targetType: 'node',
          targetId: nodeId,
          reason,
          detail: { from, to, reason, at: at.toISOString() },
        },
      });
    });
    if (to === 'unreachable') await cp.app.get(StormGuardService).recordUnreachable([nodeId], at);
    if (options.publish !== false) cp.app.get(HealthEvents).publish({ type: 'node.health', nodeId, from, to, reason, at });
  }

  async function runs(nodeId: string) {
    const response = await cp.admin.get(`/v1/nodes/${nodeId}/remediations`);
    expect(response.status).toBe(200);
    return (response.body.items as any[]).slice().reverse();
  }
  async function settledRuns(nodeId: string, count: number) {
    await expect
      .poll(async () => (await runs(nodeId)).filter((run) => /succeeded|failed|timed_out/.test(run.status)).length, {
        timeout: 20_000,
        interval: 100,
      })
      .toBe(count);
    return runs(nodeId);
  }

  it('climbs one rung per cooldown and stops when the node recovers after the second step', async () => {
    const node = await sshNode();
    await setHealth(node.id, 'unknown', 'healthy');
    await setHealth(node.id, 'healthy', 'unreachable');

    // The health event starts rung 1 at once.
    const [first] = await settledRuns(node.id, 1);
    expect(first).toMatchObject({ runbook: 'fix-agent', status: 'succeeded', automatic: true, requestedBy: 'system:auto-remediation' });
    expect(first.reason).toMatch(/unreachable/);
    expect(existsSync(join(dir, 'fix-agent'))).toBe(true);

    // The cooldown holds, measured on the injected time from the end of rung 1.
    const finished = Date.parse(first.finishedAt);
    const early = await reconciler.reconcileNode(node.id, new Date(finished + (COOLDOWN_S - 1) * 1_000));
    expect(early).toMatchObject({ action: 'wait', until: new Date(finished + COOLDOWN_S * 1_000) });
    expect(await runs(node.id)).toHaveLength(1);

    const later = await reconciler.reconcileNode(node.id, new Date(finished + (COOLDOWN_S + 1) * 1_000));
    expect(later).toMatchObject({ action: 'run', runbook: 'fix-messages', step: 2 });
    const second = (await settledRuns(node.id, 2))[1];
    expect(second).toMatchObject({ runbook: 'fix-messages', status: 'succeeded', automatic: true });

    // The simulated Mac recovers once fix-messages ran; the poller would report it healthy.
    expect(existsSync(join(dir, 'fix-messages'))).toBe(true);
    await setHealth(node.id, 'unreachable', 'healthy');
    const afterRecovery = await reconciler.reconcileNode(node.id, new Date(Date.now() + 24 * 3_600_000));
    expect(afterRecovery).toMatchObject({ action: 'stop', reason: 'node is healthy' });
    await reconciler.reconcileAll(new Date(Date.now() + 24 * 3_600_000));

    const all = await runs(node.id);
    expect(all.map((run) => run.runbook)).toEqual(['fix-agent', 'fix-messages']);
    expect(existsSync(join(dir, 'fix-bluebubbles'))).toBe(false);
    const steps = await cp.admin.get(`/v1/audit?targetType=node&targetId=${node.id}&action=remediation.auto.step`);
    expect(steps.body.items.map((event: any) => [event.actor, event.detail.runbook, event.detail.step])).toEqual([
      ['system:auto-remediation', 'fix-messages', 2],
      ['system:auto-remediation', 'fix-agent', 1],
    ]);
  });

  it('does nothing when switched off in the fleet settings', async () => {
    expect((await cp.admin.patch('/v1/fleet/settings', { remediation: { autoRemediation: false } })).status).toBe(200);
    try {
      const node = await sshNode();
      await setHealth(node.id, 'unknown', 'degraded');
      const decision = await reconciler.reconcileNode(node.id, new Date(Date.now() + 3_600_000));
      expect(decision).toMatchObject({ action: 'stop', reason: 'auto-remediation is off in the fleet settings' });
      expect(await runs(node.id)).toEqual([]);
      // Back on, the same node gets its first rung: the zero above was the switch.
      expect((await cp.admin.patch('/v1/fleet/settings', { remediation: { autoRemediation: true } })).status).toBe(200);
      expect(await reconciler.reconcileNode(node.id)).toMatchObject({ action: 'run', runbook: 'fix-agent', step: 1 });
      expect((await settledRuns(node.id, 1))[0].reason).toMatch(/degraded/);
      await setHealth(node.id, 'degraded', 'healthy', { publish: false });
    } finally {
      await cp.admin.patch('/v1/fleet/settings', { remediation: { autoRemediation: true } });
    }
  });

  it('is frozen while the storm guard holds', async () => {
    const storm = cp.app.get(StormGuardService);
    const [b, c] = [await sshNode(), await sshNode()];
    // A network blip: most of the fleet falls within the storm window.
    for (const id of [...bystanders, b.id, c.id]) await setHealth(id, 'healthy', 'unreachable', { publish: false });
    await storm.evaluate();
    expect(storm.isStormActive()).toBe(true);
    expect((await cp.client().get('/readyz')).body.detail.stormGuard).toMatchObject({ active: true, automaticActions: 'frozen' });

    cp.app
      .get(HealthEvents)
      .publish({ type: 'node.health', nodeId: b.id, from: 'unknown', to: 'unreachable', reason: 'test', at: new Date() });
    const decision = await reconciler.reconcileNode(c.id, new Date(Date.now() + 3_600_000));
    expect(decision).toMatchObject({ action: 'wait', reason: 'storm guard holds: automatic actions are frozen' });
    await reconciler.reconcileAll(new Date(Date.now() + 7_200_000));
    expect(await runs(b.id)).toEqual([]);
    expect(await runs(c.id)).toEqual([]);
  });
});
