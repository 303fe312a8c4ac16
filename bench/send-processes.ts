/**
 * Child processes and /proc readings for `npm run bench:send`: start an entry point
 * with IPC, ask it something, stop it for sure; CPU time and peak RSS of a process
 * (and of every postgres / redis-server process, which the pipeline also loads).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function startChild<T>(
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readyKey: string,
): Promise<{ child: ChildProcess; ready: T }> {
  const child = fork(fileURLToPath(new URL(entry, import.meta.url)), args, { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  // Whatever happens to the benchmark, its children go with it.
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${entry} exited with ${code} before it was ready`));
    child.once('exit', onExit);
    child.once('error', reject);
    child.on('message', (message: Record<string, unknown>) => {
      if (!(readyKey in message)) return;
      child.off('exit', onExit);
      resolve({ child, ready: message as T });
    });
  });
}

export function ask<T>(child: ChildProcess, message: object, key: string, timeoutMs = 60_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`no "${key}" answer from child ${child.pid}`));
    }, timeoutMs);
    const onMessage = (reply: Record<string, unknown>) => {
      if (!(key in reply)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(reply[key] as T);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

/** Asks the child to stop and waits; SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.connected) child.send({ stop: true });
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** User + system CPU seconds a process has used so far (0 once it is gone). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Peak resident set size (VmHWM) in bytes. */
export function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb ?? NaN) * 1024;
}

/** Pids of every process whose command name is `name` (e.g. postgres backends). */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** CPU seconds used by groups of processes (found by pid or by name), from construction to `shares`. */
export class CpuMeter {
  private readonly start = new Map<string, Map<number, number>>();

  constructor(private readonly groups: Record<string, () => number[]>) {
    for (const [name, pids] of Object.entries(groups)) this.start.set(name, new Map(pids().map((pid) => [pid, cpuSeconds(pid)])));
  }

  /** Share of one core each group used since construction (processes started meanwhile count from zero). */
  shares(wallSeconds: number): Record<string, number> {
    return Object.fromEntries(
      Object.entries(this.groups).map(([name, pids]) => {
        const before = this.start.get(name)!;
        const used = pids().reduce((sum, pid) => sum + Math.max(0, cpuSeconds(pid) - (before.get(pid) ?? 0)), 0);
        return [name, used / wallSeconds];
      }),
    );
  }
}
