import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimFleet, type SimFleet, type SimFleetOptions } from '../../../apps/node-agent/src/fleet/sim-fleet.js';
import { ApiClient } from './api-client.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface AgentProcess {
  url: string;
  token: string;
  dataDir: string;
  child: ChildProcess;
  /** Authenticated with the agent credential. */
  client: ApiClient;
  /** The loopback-only /sim/ controls (no credential). */
  sim: ApiClient;
  /** Resolves with the exit signal (e.g. 'SIGKILL') or code once the process is gone. */
  exited: Promise<NodeJS.Signals | number | null>;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<NodeJS.Signals | number | null>;
}

export interface SpawnAgentOptions {
  token?: string;
  /** Reuse the directory of a previous run to restart "the same Mac". */
  dataDir?: string;
  env?: Record<string, string>;
}

/**
 * Runs `apps/node-agent/src/main.ts` as a real child process (tsx, no build needed) on an
 * ephemeral loopback port, with a quick simulated Mac by default. Restart = spawn again with
 * the same dataDir and token.
 */
export async function spawnAgent(options: SpawnAgentOptions = {}): Promise<AgentProcess> {
  const token = options.token ?? `agent-${randomBytes(16).toString('hex')}`;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'bf-agent-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/node-agent/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      AGENT_PORT: '0',
      AGENT_HOST: '127.0.0.1',
      AGENT_TOKEN: token,
      AGENT_DATA_DIR: dataDir,
      AGENT_LOG_LEVEL: 'warn',
      SIM_LATENCY_MS: '5',
      SIM_LATENCY_JITTER_MS: '0',
      SIM_RESPONSE_RATE: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"event":"agent\.listening","url":"([^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`agent exited (${how}) before listening:\n${output}`));
    });
  });
  return {
    url,
    token,
    dataDir,
    child,
    client: new ApiClient(url, token),
    sim: new ApiClient(url),
    exited,
    output: () => output,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A simulated fleet in this process, quiet and quick by default (see startSimFleet). */
export function startTestFleet(options: SimFleetOptions): Promise<SimFleet> {
  return startSimFleet({
    logLevel: 'silent',
    ...options,
    sim: { SIM_LATENCY_MS: 5, SIM_LATENCY_JITTER_MS: 0, SIM_RESPONSE_RATE: 0, ...options.sim },
  });
}

/**
 * A TCP relay on a fixed loopback port in front of a control plane: `point(url)` forwards
 * there, `point(undefined)` stops listening, so the agent gets "connection refused" as from
 * a control plane that is gone. Lets a test take the control plane away from an agent and
 * bring it back on another port.
 */
export interface TcpRelay {
  url: string;
  point(targetUrl: string | undefined): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpRelay(): Promise<TcpRelay> {
  let target: URL | undefined;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  };
  const server: Server = createServer((inbound) => {
    track(inbound);
    if (!target) return inbound.destroy();
    const outbound = connect(Number(target.port), target.hostname);
    track(outbound);
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('error', () => outbound.destroy());
    outbound.on('error', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      // Kept-alive connections to the old target must not outlive the switch.
      for (const socket of open) socket.destroy();
    });
  return {
    url: `http://127.0.0.1:${port}`,
    async point(targetUrl) {
      await stopListening();
      target = targetUrl ? new URL(targetUrl) : undefined;
      if (target) await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    close: stopListening,
  };
}
