import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateApiKey } from '@bridgefleet/contracts/api-key-format.js';
import { ApiClient } from './api-client.js';
import { eventually } from './eventually.js';
import { freeLoopbackPort } from './redis-server.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ControlPlaneProcess {
  baseUrl: string;
  port: number;
  adminKey: string;
  admin: ApiClient;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit signal or code once the process is gone. */
  exited: Promise<NodeJS.Signals | number | null>;
  kill(signal?: NodeJS.Signals): Promise<NodeJS.Signals | number | null>;
}

export interface ControlPlaneProcessOptions {
  env: Record<string, string>;
  /** Reuse a port (a restarted control plane where agents already post their events). */
  port?: number;
  adminKey?: string;
}

/**
 * Runs `apps/control-plane/src/main.ts` as a real OS process, so a test can SIGKILL it
 * mid-work. The sources run as they are through SWC (swc-loader.mjs: decorator metadata
 * for NestJS, tsconfig path aliases), so no build is needed and the code is the tree's own.
 * Ready once GET /healthz answers.
 */
export async function spawnControlPlane(options: ControlPlaneProcessOptions): Promise<ControlPlaneProcess> {
  const port = options.port ?? (await freeLoopbackPort());
  const adminKey = options.adminKey ?? generateApiKey().key;
  const child = spawn(process.execPath, ['--import', './libs/testing/src/swc-loader.mjs', 'apps/control-plane/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      BRIDGEFLEET_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'warn',
      MIGRATE_ON_START: 'false',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  await eventually(
    async () => {
      if (gone) throw new Error(`control plane exited before it was ready:\n${output}`);
      return (await fetch(`${baseUrl}/healthz`)).ok;
    },
    'the control-plane process to answer /healthz',
    { timeoutMs: 60_000, intervalMs: 100 },
  ).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${output}`);
  });
  return {
    baseUrl,
    port,
    adminKey,
    admin: new ApiClient(baseUrl, adminKey),
    child,
    output: () => output,
    exited,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
