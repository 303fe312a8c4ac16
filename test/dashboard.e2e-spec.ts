import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimFleet } from '../apps/node-agent/src/fleet/sim-fleet.js';
import { startTestFleet } from '@bridgefleet/testing/agents.js';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { freshDatabase } from '@bridgefleet/testing/databases.js';
import { eventually } from '@bridgefleet/testing/eventually.js';
import { startSshd, type TestSshd } from '@bridgefleet/testing/sshd.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = 'artifacts/screenshots';
const LINES = 4;

/** A clean clone runs `npm test` without `npm run build`: build the dashboard once if missing. */
function ensureDashboardBuilt(): void {
  if (existsSync('dist/dashboard/index.html')) return;
  execFileSync('npm', ['run', 'build:dashboard'], { stdio: 'inherit' });
}

describe('dashboard in headless Chromium against a demo fleet', () => {
  let cp: TestControlPlane;
  let fleet: SimFleet;
  let sshd: TestSshd;
  let context: BrowserContext;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    ensureDashboardBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'bf-dashboard-'));
    writeFileSync(
      join(dir, 'runbooks.json'),
      JSON.stringify([
        {
          name: 'say-hello',
          description: 'prints a greeting (test runbook on a Linux sshd)',
          timeoutSeconds: 10,
          steps: [{ name: 'greet', command: 'echo hello-from-the-runbook', timeoutSeconds: 5 }],
        },
      ]),
    );
    sshd = await startSshd();
    cp = await startControlPlane({
      // Its own registry, so the overview holds exactly this fleet's lines.
      DATABASE_URL: await freshDatabase(),
      REDIS_PREFIX: `${process.env.TEST_REDIS_PREFIX}dash`,
      ROLES: 'all',
      SSH_PRIVATE_KEY_PATH: sshd.clientKeyPath,
      REMEDIATION_RUNBOOKS_FILE: join(dir, 'runbooks.json'),
      HEALTH_POLL_INTERVAL_MS: '200',
    });
    fleet = await startTestFleet({ count: LINES, controlPlaneUrl: cp.baseUrl, apiKey: cp.adminKey, namePrefix: 'dash-mac' });
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    await eventually(async () => {
      const lines = (await cp.admin.get('/v1/lines')).body.items as { health: string }[];
      return lines.length === LINES && lines.every((line) => line.health === 'healthy');
    }, 'every line healthy');
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    await fleet?.close();
    await cp?.close();
    await sshd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(key: string): Promise<void> {
    await page.goto(`${cp.baseUrl}/`);
    await page.evaluate('sessionStorage.clear()');
    await page.goto(`${cp.baseUrl}/`);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  it('tells a bad key clearly that it is not valid', async () => {
    await signIn('bf_nottherealkey_0000000000000000000000');
    const error = page.getByTestId('signin-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('This key is not valid or was revoked');
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-bad-key.png` });
  });

  it('shows every line of the fleet with its usage against the cap', async () => {
    const message = await cp.admin.post('/v1/messages', { to: '+14155550999', body: 'hello' }, { 'idempotency-key': 'dash-1' });
    expect(message.status).toBe(202);
    const sentLine = await eventually(async () => {
      const view = await cp.admin.get(`/v1/messages/${message.body.id}`);
      return ['sent', 'delivered', 'read'].includes(view.body.status) && (view.body.lineId as string);
    }, 'the message to be sent');

    await signIn(cp.adminKey);
    const lines = (await cp.admin.get('/v1/lines?limit=100')).body.items as {
      id: string;
      phoneNumber: string;
      usage: { sent: number; cap: number };
    }[];
    expect(lines).toHaveLength(LINES);
    for (const line of lines) {
      const row = page.getByTestId(`line-row-${line.id}`);
      await row.waitFor();
      expect(await row.textContent()).toContain(line.phoneNumber);
      await eventually(
        async () => (await row.getByTestId('sent').textContent()) === `${line.usage.sent} / ${line.usage.cap}`,
        `usage of ${line.id}`,
      );
    }
    const sent = lines.find((line) => line.id === sentLine)!;
    expect(sent.usage.sent).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-overview.png`, fullPage: true });
  });

  it('cordons a line from the line page, and the API shows it cordoned', async () => {
    const line = (await cp.admin.get('/v1/lines?limit=1')).body.items[0] as { id: string };
    await page.goto(`${cp.baseUrl}/#/lines/${line.id}`);
    await page.getByRole('button', { name: 'cordon', exact: true }).click();
    await page.getByTestId('action-outcome').filter({ hasText: 'cordon: done' }).waitFor();
    expect((await cp.admin.get(`/v1/lines/${line.id}`)).body.admin).toBe('cordoned');
    await page.getByTestId('line-admin').filter({ hasText: 'cordoned' }).waitFor();
    await page.getByTestId('usage-charts').locator('canvas').first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-line.png`, fullPage: true });
  });

  it('refuses an action for a read-only key with a clear message', async () => {
    const created = await cp.admin.post('/v1/keys', { name: 'dash-reader', scopes: ['fleet:read'] });
    const line = (await cp.admin.get('/v1/lines?limit=1')).body.items[0] as { id: string };
    await signIn(created.body.key);
    await page.goto(`${cp.baseUrl}/#/lines/${line.id}`);
    await page.getByRole('button', { name: 'uncordon', exact: true }).click();
    const outcome = page.getByTestId('action-outcome');
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('lacks fleet:write');
    expect((await cp.admin.get(`/v1/lines/${line.id}`)).body.admin).toBe('cordoned');
  });

  it('runs a runbook on a node and shows its output', async () => {
    const node = fleet.nodes[0]!;
    const patched = await cp.admin.patch(`/v1/nodes/${node.nodeId}`, {
      ssh: { host: sshd.host, port: sshd.port, user: sshd.user, hostKeyFingerprint: sshd.hostKeyFingerprint },
    });
    expect(patched.status).toBe(200);
    await signIn(cp.adminKey);
    await page.goto(`${cp.baseUrl}/#/nodes/${node.nodeId}`);
    await page.getByLabel('Runbook').selectOption('say-hello');
    await page.getByLabel('Run reason').fill('dashboard test');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByTestId('run-output').filter({ hasText: 'hello-from-the-runbook' }).waitFor({ timeout: 30_000 });
    const runs = await cp.admin.get(`/v1/nodes/${node.nodeId}/remediations`);
    expect(runs.body.items[0]).toMatchObject({ runbook: 'say-hello', status: 'succeeded', reason: 'dashboard test' });
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-node-runbook.png`, fullPage: true });
  });
});
