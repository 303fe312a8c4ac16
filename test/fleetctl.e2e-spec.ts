import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { createLine, createNode } from '@bridgefleet/testing/fleet-fixtures.js';
import { startSshd, type TestSshd } from '@bridgefleet/testing/sshd.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function testRunbooks() {
  return [
    {
      name: 'greet',
      description: 'echo an enumerated word',
      timeoutSeconds: 20,
      arguments: { word: { values: ['hello', 'bye'], default: 'hello' } },
      steps: [
        { name: 'say', command: 'echo word={{word}}', timeoutSeconds: 10 },
        { name: 'done', command: 'echo finished-greeting', timeoutSeconds: 10 },
      ],
    },
    {
      name: 'broken',
      description: 'fails',
      timeoutSeconds: 10,
      steps: [{ name: 'fail', command: 'echo failing; exit 4', timeoutSeconds: 5 }],
    },
  ];
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('fleetctl against a running control plane', () => {
  let cp: TestControlPlane;
  let sshd: TestSshd;
  let dir: string;
  let home: string;
  let runbooksFile: string;
  let node: any;
  let line: any;

  /** Runs the CLI from source (tsx) as a child process, its config dir under a temp HOME. */
  function fleetctl(args: string[], env: Record<string, string> = {}): Promise<Result> {
    const base: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      FLEETCTL_SERVER: cp.baseUrl,
      FLEETCTL_KEY: cp.adminKey,
    };
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [TSX, 'apps/fleetctl/src/main.ts', ...args], { cwd: ROOT, env: { ...base, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bf-fleetctl-'));
    home = join(dir, 'home');
    mkdirSync(home);
    runbooksFile = join(dir, 'runbooks.json');
    writeFileSync(runbooksFile, JSON.stringify(testRunbooks()));
    sshd = await startSshd();
    cp = await startControlPlane({
      ROLES: 'api',
      SSH_PRIVATE_KEY_PATH: sshd.clientKeyPath,
      SSH_READY_TIMEOUT_MS: '3000',
      REMEDIATION_RUNBOOKS_FILE: runbooksFile,
    });
    node = await createNode(cp, {
      ssh: { host: sshd.host, port: sshd.port, user: sshd.user, hostKeyFingerprint: sshd.hostKeyFingerprint },
    });
    line = await createLine(cp, node.id);
  });

  afterAll(async () => {
    await cp?.close();
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints --help for every command, with the exit codes', async () => {
    const top = await fleetctl(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Exit codes:[\s\S]*3 {2}unauthorized[\s\S]*5 {2}conflict/);
    for (const command of [
      ['get', 'nodes'],
      ['describe', 'line'],
      ['cordon'],
      ['run'],
      ['keys', 'create'],
      ['send'],
      ['audit'],
      ['runbooks'],
    ]) {
      const help = await fleetctl([...command, '--help']);
      expect(help.code, command.join(' ')).toBe(0);
      expect(help.stdout).toContain(`Usage: fleetctl ${command.join(' ')}`);
    }
    expect((await fleetctl(['frobnicate'])).code).toBe(2);
    expect((await fleetctl(['run', 'greet'])).code).toBe(2); // --node and --reason missing
  }, 60_000);

  it('get nodes and lines: aligned tables by default, JSON with -o json', async () => {
    const table = await fleetctl(['get', 'nodes']);
    expect(table.code, table.stderr).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^NAME\s+ID\s+HEALTH\s+FAILURES\s+CHECKED\s+SSH$/);
    const row = rows.find((text) => text.startsWith(`${node.name} `))!;
    expect(row).toContain(node.id);
    expect(row).toContain(`${sshd.user}@${sshd.host}:${sshd.port}`);
    // Columns line up: each field of the row starts where its header does.
    expect(row.indexOf(node.id)).toBe(header!.indexOf('ID'));

    const json = await fleetctl(['-o', 'json', 'get', 'nodes']);
    expect(JSON.parse(json.stdout).find((item: any) => item.id === node.id)).toMatchObject({ name: node.name });
    // The break-glass cache now knows this node's SSH target and pin.
    const cache = JSON.parse(readFileSync(join(home, '.config', 'fleetctl', 'nodes.json'), 'utf8'));
    expect(cache[node.id]).toMatchObject({ name: node.name, ssh: { hostKeyFingerprint: sshd.hostKeyFingerprint } });

    const lines = await fleetctl(['get', 'lines']);
    expect(lines.stdout.split('\n')[0]).toMatch(/^PHONE\s+ID\s+ADMIN\s+REPUTATION\s+HEALTH\s+SENT\/CAP\s+CONTACTS$/);
    expect(lines.stdout).toContain(line.phoneNumber);
    const linesJson = JSON.parse((await fleetctl(['get', 'lines', '-o', 'json'])).stdout);
    expect(linesJson.find((item: any) => item.id === line.id)).toMatchObject({ phoneNumber: line.phoneNumber, admin: 'active' });
  }, 60_000);

  it('describe node by name and line by phone number', async () => {
    const described = await fleetctl(['describe', 'node', node.name]);
    expect(described.code, described.stderr).toBe(0);
    expect(described.stdout).toMatch(new RegExp(`ID:\\s+${node.id}`));
    expect(described.stdout).toContain(`Host key:     ${sshd.hostKeyFingerprint}`);
    expect(described.stdout).toContain(line.phoneNumber);
    const lineJson = JSON.parse((await fleetctl(['describe', 'line', line.phoneNumber, '-o', 'json'])).stdout);
    expect(lineJson).toMatchObject({ id: line.id, nodeId: node.id });
  }, 60_000);

  it('cordon shows in the API; a second cordon is a 409 (exit 5); 401 exits 3; 404 exits 4; API down exits 6', async () => {
    const cordoned = await fleetctl(['cordon', line.phoneNumber, '--reason', 'fleetctl test']);
    expect(cordoned.code, cordoned.stderr).toBe(0);
    expect(cordoned.stdout).toContain(`line ${line.phoneNumber} cordoned`);
    expect((await cp.admin.get(`/v1/lines/${line.id}`)).body.admin).toBe('cordoned');

    const again = await fleetctl(['cordon', line.id]);
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/^error: 409/);
    expect((await fleetctl(['uncordon', line.id])).code).toBe(0);
    expect((await cp.admin.get(`/v1/lines/${line.id}`)).body.admin).toBe('active');

    const badKey = await fleetctl(['get', 'nodes'], { FLEETCTL_KEY: 'bf_aaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' });
    expect(badKey.code).toBe(3);
    expect(badKey.stderr).toMatch(/401/);
    // A flag beats the environment.
    expect(
      (await fleetctl(['get', 'nodes', '--key', cp.adminKey], { FLEETCTL_KEY: 'bf_aaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' }))
        .code,
    ).toBe(0);

    expect((await fleetctl(['describe', 'node', '00000000-0000-4000-8000-000000000000'])).code).toBe(4);
    expect((await fleetctl(['describe', 'line', '+14155550000'])).code).toBe(4);
    const down = await fleetctl(['get', 'nodes'], { FLEETCTL_SERVER: `http://127.0.0.1:${await closedPort()}` });
    expect(down.code).toBe(6);
  }, 60_000);

  it('reads server and key from the config file when neither flag nor environment gives them', async () => {
    const configHome = join(dir, 'xdg');
    mkdirSync(join(configHome, 'fleetctl'), { recursive: true });
    writeFileSync(join(configHome, 'fleetctl', 'config'), `# fleetctl\nserver = ${cp.baseUrl}\nkey = ${cp.adminKey}\n`);
    const result = await fleetctl(['runbooks'], { XDG_CONFIG_HOME: configHome, FLEETCTL_SERVER: '', FLEETCTL_KEY: '' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^NAME\s+TIMEOUT\s+STEPS\s+ARGUMENTS\s+DESCRIPTION$/);
    expect(result.stdout).toMatch(/greet\s+20s\s+2\s+word=hello\|bye/);
    expect(result.stdout).toContain('restart-messages');
  }, 60_000);

  it('run follows the output live and exits 0; a failed run exits 7', async () => {
    const ok = await fleetctl(['run', 'greet', '--node', node.name, '--reason', 'fleetctl e2e', '--arg', 'word=bye', '--interval', '100']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('word=bye');
    expect(ok.stdout).toContain('finished-greeting');
    expect(ok.stderr).toMatch(/succeeded \(exit 0\)/);
    const runs = (await cp.admin.get(`/v1/nodes/${node.id}/remediations`)).body.items;
    expect(runs[0]).toMatchObject({ runbook: 'greet', reason: 'fleetctl e2e', status: 'succeeded', arguments: { word: 'bye' } });

    const failed = await fleetctl(['run', 'broken', '--node', node.id, '--reason', 'fleetctl e2e', '-o', 'json']);
    expect(failed.code).toBe(7);
    expect(JSON.parse(failed.stdout)).toMatchObject({ runbook: 'broken', status: 'failed', exitCode: 4 });
    expect((await fleetctl(['run', 'greet', '--node', node.id, '--reason', 'x', '--arg', 'word=$(reboot)'])).code).toBe(2);
  }, 60_000);

  it('break-glass: runs over SSH with the API down, then the next command reports it to the audit log', async () => {
    const pendingFile = join(home, '.config', 'fleetctl', 'pending-audit.jsonl');
    const downServer = `http://127.0.0.1:${await closedPort()}`;
    const direct = await fleetctl(
      [
        'run',
        'greet',
        '--direct',
        '--node',
        node.name,
        '--reason',
        'control plane down',
        '--arg',
        'word=hello',
        '--identity',
        sshd.clientKeyPath,
      ],
      { FLEETCTL_SERVER: downServer, REMEDIATION_RUNBOOKS_FILE: runbooksFile },
    );
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stdout).toContain('word=hello');
    expect(direct.stderr).toContain('pending-audit.jsonl');
    const pending = readFileSync(pendingFile, 'utf8')
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text));
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ nodeId: node.id, runbook: 'greet', status: 'succeeded', exitCode: 0, reason: 'control plane down' });

    // The pin is enforced here too: a wrong fingerprint never runs a command.
    const pinned = await fleetctl(
      [
        'run',
        'greet',
        '--direct',
        '--node',
        node.name,
        '--reason',
        'pin test',
        '--identity',
        sshd.clientKeyPath,
        '--fingerprint',
        'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      ],
      { FLEETCTL_SERVER: downServer, REMEDIATION_RUNBOOKS_FILE: runbooksFile },
    );
    expect(pinned.code).toBe(7);
    expect(pinned.stderr).toContain('host key mismatch');
    expect(pinned.stdout).not.toContain('word=');

    // Still down: a command fails with 6 and keeps the records.
    expect((await fleetctl(['get', 'nodes'], { FLEETCTL_SERVER: downServer })).code).toBe(6);
    expect(readFileSync(pendingFile, 'utf8').trim().split('\n')).toHaveLength(2);

    // API back: any command reports them, once.
    const back = await fleetctl(['get', 'lines']);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stderr).toContain('reported 2 break-glass run(s)');
    expect(readFileSync(pendingFile, 'utf8')).toBe('');
    const audit = (await cp.admin.get(`/v1/audit?action=remediation.direct&targetId=${node.id}`)).body.items;
    expect(audit).toHaveLength(2);
    const recorded = audit.find((event: any) => event.detail.runId === pending[0].id);
    expect(recorded).toMatchObject({ reason: 'control plane down', result: 'succeeded', detail: { runbook: 'greet', exitCode: 0 } });
    expect(recorded.actor).toMatch(/^key:.+ \(break-glass\)$/);
    const run = (await cp.admin.get(`/v1/remediations/${pending[0].id}`)).body;
    expect(run).toMatchObject({ status: 'succeeded', automatic: false, requestedBy: recorded.actor });
    expect(run.output).toContain('word=hello');

    // Reporting the same run again is a no-op.
    const { nodeName: _name, ...body } = pending[0];
    expect((await cp.admin.post('/v1/remediations/direct', body)).status).toBe(200);
    expect((await cp.admin.get(`/v1/audit?action=remediation.direct&targetId=${node.id}`)).body.items).toHaveLength(2);
    expect(existsSync(pendingFile)).toBe(true);
  }, 90_000);

  it('audit, keys create (API and --admin straight to the database) and send', async () => {
    const audit = await fleetctl(['audit', '--action', 'line.cordon', '--limit', '5']);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout.split('\n')[0]).toMatch(/^AT\s+ACTOR\s+ACTION\s+TARGET\s+RESULT\s+REASON$/);

    const created = await fleetctl(['keys', 'create', '--name', 'reader', '--scope', 'fleet:read', '-o', 'json']);
    expect(created.code, created.stderr).toBe(0);
    const reader = JSON.parse(created.stdout);
    expect(reader).toMatchObject({ name: 'reader', scopes: ['fleet:read'] });
    expect((await cp.client(reader.key).get('/v1/nodes')).status).toBe(200);
    const forbidden = await fleetctl(['audit'], { FLEETCTL_KEY: reader.key });
    expect(forbidden.code).toBe(3);

    const admin = await fleetctl(['keys', 'create', '--admin', '--name', 'bootstrap', '-o', 'json'], {
      DATABASE_URL: process.env.TEST_DATABASE_URL!,
      FLEETCTL_SERVER: `http://127.0.0.1:${await closedPort()}`,
    });
    expect(admin.code, admin.stderr).toBe(0);
    const bootstrap = JSON.parse(admin.stdout);
    expect((await cp.client(bootstrap.key).get('/v1/keys')).status).toBe(200);

    const sent = await fleetctl(['send', '--to', '+14155550123', '--body', 'hello from fleetctl', '-o', 'json']);
    expect(sent.code, sent.stderr).toBe(0);
    const message = JSON.parse(sent.stdout);
    expect((await cp.admin.get(`/v1/messages/${message.id}`)).body).toMatchObject({ to: '+14155550123' });
  }, 60_000);
});
