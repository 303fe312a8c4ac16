import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimFleet } from '../apps/node-agent/src/fleet/sim-fleet.js';
import { startTestFleet } from '@bridgefleet/testing/agents.js';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { freshDatabase } from '@bridgefleet/testing/databases.js';
import { eventually } from '@bridgefleet/testing/eventually.js';

// Debian's prometheus package; .ci/run installs it. Never skipped: a missing promtool fails here.
const PROMTOOL = 'promtool';

function sample(text: string, name: string, labels: Record<string, string> = {}): number[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`)))
    .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
}

/** Metric names the alert rules and the Grafana dashboard use (histogram suffixes stripped). */
function referencedMetrics(): string[] {
  const text = readFileSync('ops/prometheus/alerts.yml', 'utf8') + readFileSync('ops/grafana/bridgefleet.json', 'utf8');
  const names = new Set([...text.matchAll(/bridgefleet_[a-z_]+/g)].map((match) => match[0].replace(/_(bucket|sum|count)$/, '')));
  return [...names];
}

describe('/metrics and the ops files', () => {
  let cp: TestControlPlane;
  let fleet: SimFleet;
  let text: string;

  beforeAll(async () => {
    cp = await startControlPlane({
      DATABASE_URL: await freshDatabase(),
      REDIS_PREFIX: `${process.env.TEST_REDIS_PREFIX}met`,
      ROLES: 'all',
      METRICS_PER_LINE_LIMIT: '1',
      HEALTH_POLL_INTERVAL_MS: '200',
    });
    fleet = await startTestFleet({ count: 2, controlPlaneUrl: cp.baseUrl, apiKey: cp.adminKey, namePrefix: 'metrics-mac' });
    await eventually(async () => {
      const lines = (await cp.admin.get('/v1/lines')).body.items as { health: string }[];
      return lines.length === 2 && lines.every((line) => line.health === 'healthy');
    }, 'both lines healthy');
    const ids: string[] = [];
    for (const to of ['+14155550101', '+14155550102']) {
      const accepted = await cp.admin.post('/v1/messages', { to, body: 'metrics' });
      expect(accepted.status).toBe(202);
      ids.push(accepted.body.id);
    }
    await eventually(async () => {
      const views = await Promise.all(ids.map((id) => cp.admin.get(`/v1/messages/${id}`)));
      return views.every((view) => ['sent', 'delivered', 'read'].includes(view.body.status));
    }, 'both messages sent');
    text = (await cp.client().get('/metrics')).text;
  });

  afterAll(async () => {
    await fleet?.close();
    await cp?.close();
  });

  it('passes promtool check metrics on a live /metrics', () => {
    const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    // prom-client's own Node gauges (nodejs_active_*_total) draw lint findings (exit 3) that
    // are not ours to rename; anything else, and any parse error (exit 1), fails.
    const findings = `${result.stdout}${result.stderr}`.split('\n').filter(Boolean);
    const ours = findings.filter((finding) => !/^bridgefleet_nodejs_active_\w+_total non-counter metrics/.test(finding));
    expect(ours).toEqual([]);
    expect([0, 3]).toContain(result.status);
  });

  it('has valid alert rules (promtool check rules)', () => {
    const output = execFileSync(PROMTOOL, ['check', 'rules', 'ops/prometheus/alerts.yml'], { encoding: 'utf8' });
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('exports every metric the alert rules and the Grafana dashboard use', () => {
    const missing = referencedMetrics().filter((name) => !text.includes(`# TYPE ${name} `));
    expect(missing).toEqual([]);
  });

  it('counts messages by direction and status, and dispatch latency', () => {
    expect(sample(text, 'bridgefleet_messages_total', { direction: 'outbound', status: 'queued' })).toEqual([2]);
    expect(sample(text, 'bridgefleet_messages_total', { direction: 'outbound', status: 'sent' })).toEqual([2]);
    expect(sample(text, 'bridgefleet_dispatch_latency_seconds_count')).toEqual([2]);
    expect(sample(text, 'bridgefleet_messages_waiting', { status: 'queued' })).toEqual([0]);
    expect(sample(text, 'bridgefleet_lines', { admin: 'active', reputation: 'warming' })).toEqual([2]);
  });

  it('bounds per-line series by METRICS_PER_LINE_LIMIT', () => {
    // Both lines sent today (round robin for two new contacts), but the limit is 1.
    const sentToday = sample(text, 'bridgefleet_line_sent_today');
    expect(sentToday).toEqual([1]);
    expect(sample(text, 'bridgefleet_line_daily_cap')).toHaveLength(1);
  });
});
