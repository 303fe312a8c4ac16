import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** A redis-server of a test's own, on a loopback port: fault tests may flush, kill and restart it freely. */
export interface OwnRedis {
  port: number;
  url: string;
  /** A plain client for the test's own commands (FLUSHALL, INFO…). */
  client(): Redis;
  /** SIGKILL, like a crash; the next start() is an empty Redis (no persistence). */
  kill9(): Promise<void>;
  /** Starts the server again on the same port (after kill9). */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** A free loopback port (redis-server's `--port 0` means "no TCP", so one is picked here). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts `redis-server` without persistence (`--save "" --appendonly no`), so a kill -9 and a
 * restart lose every key, as a cache node restarted without persistence does. `extraArgs`
 * adds settings, e.g. ['--maxmemory-policy', 'allkeys-lru'].
 */
export async function startOwnRedis(extraArgs: string[] = []): Promise<OwnRedis> {
  const port = await freeLoopbackPort();
  const dir = mkdtempSync(join(tmpdir(), 'bf-redis-'));
  const clients: Redis[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
    args.push('--daemonize', 'no', '--dir', dir, '--protected-mode', 'yes', ...extraArgs);
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s:\n${output}`)), 10_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited before it was ready:\n${output}`));
      });
    });
  };

  const kill9 = async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    client: () => {
      const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    },
    kill9,
    start,
    close: async () => {
      for (const client of clients) client.disconnect();
      await kill9();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
