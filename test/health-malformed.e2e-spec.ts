import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { freshDatabase } from '@bridgefleet/testing/databases.js';
import { waitFor } from '@bridgefleet/testing/eventually.js';
import { createNode } from '@bridgefleet/testing/fleet-fixtures.js';
import {
  HUGE_BODY_BYTES,
  startHealthAgentStub,
  type HealthAgentStub,
  type HealthStubMode,
} from '@bridgefleet/testing/health-agent-stub.js';

// Real time is unavoidable (real HTTP peers misbehaving); a short interval keeps it quick.
const INTERVAL_MS = 600;
const PROBE_TIMEOUT_MS = 300;
const MISSES = 3;
// One probe at a time: if a slow-drip probe outlived its timeout it would starve every other node.
const CONCURRENCY = 1;
const WINDOW_INTERVALS = 10;

/** What the audit reason of each broken agent's fall to unreachable must say. */
const BROKEN: Array<{ mode: HealthStubMode; reason: RegExp }> = [
  { mode: 'missing-field', reason: /invalid health report: status: / },
  { mode: 'wrong-type', reason: /invalid health report: pendingCommands: .*expected number, received string/ },
  { mode: 'huge-body', reason: /health report larger than 65536 bytes/ },
  { mode: 'slow-drip', reason: new RegExp(`timed out after ${PROBE_TIMEOUT_MS} ms`) },
];

describe('health poller against malformed health reports (4 broken agents, 2 good ones)', () => {
  let cp: TestControlPlane;
  const good: Array<{ stub: HealthAgentStub; id: string }> = [];
  const broken: Array<{ stub: HealthAgentStub; id: string; mode: HealthStubMode; reason: RegExp }> = [];
  let rssBefore = 0;

  const nodeHealth = async (id: string) => (await cp.admin.get(`/v1/nodes/${id}`)).body.health;

  beforeAll(async () => {
    // Its own database and Redis prefix: 4 of 6 nodes falling is a storm, which must not touch other files' fleets.
    cp = await startControlPlane({
      DATABASE_URL: await freshDatabase(),
      REDIS_PREFIX: `bfmalformed${randomBytes(3).toString('hex')}`,
      HEALTH_POLL_INTERVAL_MS: String(INTERVAL_MS),
      HEALTH_PROBE_CONCURRENCY: String(CONCURRENCY),
    });
    const patched = await cp.admin.patch('/v1/fleet/settings', {
      health: { probeTimeoutMs: PROBE_TIMEOUT_MS, missesToUnreachable: MISSES },
    });
    expect(patched.status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const stub = await startHealthAgentStub();
      good.push({ stub, id: (await createNode(cp, { agentUrl: stub.url, agentToken: stub.token })).id });
    }
    for (const { id } of good)
      await waitFor(
        () => nodeHealth(id),
        (health) => health.state === 'healthy',
      );
    rssBefore = process.memoryUsage().rss;
    for (const { mode, reason } of BROKEN) {
      const stub = await startHealthAgentStub({ mode });
      broken.push({ stub, mode, reason, id: (await createNode(cp, { agentUrl: stub.url, agentToken: stub.token })).id });
    }
  });

  afterAll(async () => {
    await cp?.close();
    for (const { stub } of [...good, ...broken]) await stub.close();
  });

  it('each broken agent ends unreachable with an audit reason saying what was wrong', async () => {
    for (const { id, mode, reason } of broken) {
      const health = await waitFor(
        () => nodeHealth(id),
        (value) => value.state === 'unreachable',
        (MISSES + 3) * INTERVAL_MS + 5_000,
      );
      expect(health.consecutiveFailures, mode).toBeGreaterThanOrEqual(MISSES);
      // A report that failed validation is never stored as the node's last report.
      expect(health.lastReport, mode).toBeNull();
      const audit = await cp.admin.get(`/v1/audit?targetId=${id}&action=node.health`);
      const fall = audit.body.items.find((item: any) => item.detail?.to === 'unreachable');
      expect(fall, mode).toMatchObject({ actor: 'system:health-poller' });
      expect(fall.reason, mode).toMatch(/^missed 3 consecutive probes \(last: /);
      expect(fall.reason, mode).toMatch(reason);
    }
    const metrics = (await cp.client().get('/metrics')).text;
    expect(metrics).toMatch(/bridgefleet_health_probes_total\{result="invalid"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/bridgefleet_health_probes_total\{result="timeout"[^}]*\} [1-9]/);
  });

  it('the good agents stay healthy and get one probe per interval throughout; no probe outlives its timeout', async () => {
    const from = Date.now();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_INTERVALS * INTERVAL_MS));
    const until = Date.now();
    const counted = (stub: HealthAgentStub) => stub.probes.filter((at) => at >= from && at < until);

    for (const { stub, id } of good) {
      const seen = counted(stub);
      expect(seen.length).toBeGreaterThanOrEqual(WINDOW_INTERVALS - 2);
      expect(seen.length).toBeLessThanOrEqual(WINDOW_INTERVALS + 1);
      const gaps = seen.slice(1).map((at, i) => at - seen[i]!);
      expect(Math.max(...gaps)).toBeLessThan(2.5 * INTERVAL_MS);
      expect(await nodeHealth(id)).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
    }

    // The broken agents keep being probed too: each probe ended in time for the next interval's.
    for (const { stub, mode } of broken) expect(counted(stub).length, mode).toBeGreaterThanOrEqual(WINDOW_INTERVALS - 2);
  });

  it('never reads a 5 MB body nor waits out a slow drip: the agent saw the prober hang up early', async () => {
    const huge = broken.find((node) => node.mode === 'huge-body')!.stub;
    expect(huge.bodyBytesWritten.length).toBeGreaterThanOrEqual(MISSES);
    // The stub streams 64 KiB every 2 ms; the prober hangs up just past 64 KiB.
    for (const bytes of huge.bodyBytesWritten) expect(bytes).toBeLessThan(1024 * 1024);
    expect(Math.max(...huge.bodyBytesWritten)).toBeLessThan(HUGE_BODY_BYTES / 5);

    const drip = broken.find((node) => node.mode === 'slow-drip')!.stub;
    expect(drip.bodyBytesWritten.length).toBeGreaterThanOrEqual(MISSES);
    // One byte per 200 ms: a 300 ms timeout lets at most two out before the socket is gone.
    for (const bytes of drip.bodyBytesWritten) expect(bytes).toBeLessThanOrEqual(3);

    // Nothing was buffered per probe: tens of 5 MB bodies read in full would show here.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(50 * 1024 * 1024);
  });
});
