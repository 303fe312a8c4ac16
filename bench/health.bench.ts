/**
 * `npm run bench:health`: 10,000 simulated agents polled every 10 s by a real poller
 * (the control plane with ROLES=poller, this process) against a scratch PostgreSQL
 * database and Redis prefix. The fleet runs in a child process. Prints probes/s, the
 * poller's CPU share, p50/p99 probe latency, the fleet's RSS and the time to detect a
 * killed agent, each against its target (issue 3).
 */
import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { AgentProber } from '../apps/control-plane/src/health/agent-prober.js';
import { createControlPlane } from '../apps/control-plane/src/bootstrap.js';
import { loadConfig } from '../apps/control-plane/src/config/load-config.js';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 10_000);
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL_MS ?? 10_000);
const MEASURE_INTERVALS = Number(process.env.BENCH_MEASURE_INTERVALS ?? 3);
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
/** `sim`: the project's startSimFleet (one port); `ports`: one minimal server per agent on its own port. */
const FLEET = process.env.BENCH_FLEET === 'ports' ? 'ports' : 'sim';
/** `ports` only: how long each agent keeps an idle connection; Node's default (5 s) is shorter than the interval. */
const AGENT_KEEPALIVE_MS = Number(process.env.BENCH_AGENT_KEEPALIVE_MS ?? 5_000);
const TARGETS = { probesPerSecond: 1_000, cpuShare: 0.25, detectIntervals: 3, simRssBytes: 1024 ** 3 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Time every probe from outside the service: the harness measures, the poller stays as shipped.
const latencies: number[] = [];
const probe = AgentProber.prototype.probe;
AgentProber.prototype.probe = async function timed(this: AgentProber, ...args: Parameters<typeof probe>) {
  const started = performance.now();
  try {
    return await probe.apply(this, args);
  } finally {
    latencies.push(performance.now() - started);
  }
};

interface Fleet {
  child: ChildProcess;
  agents: Array<{ url: string; token: string }>;
  victim: number;
}

function startFleet(): Promise<Fleet> {
  const args = [String(AGENTS), FLEET, String(AGENT_KEEPALIVE_MS)];
  const child = fork(fileURLToPath(new URL('./health-sim-fleet.js', import.meta.url)), args, { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sim fleet exited with ${code}`)));
    child.on('message', (message: { ready?: boolean; agents?: Fleet['agents']; victim?: number }) => {
      if (message.ready) resolve({ child, agents: message.agents!, victim: message.victim! });
    });
  });
}

function ask<T>(child: ChildProcess, message: object, key: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (reply: Record<string, unknown>) => {
      if (key in reply) {
        child.off('message', onMessage);
        resolve(reply[key] as T);
      }
    };
    child.on('message', onMessage);
    child.send(message);
  });
}

async function registerNodes(db: pg.Client, agents: Fleet['agents']): Promise<string[]> {
  const ids = agents.map(() => randomUUID());
  await db.query(
    `INSERT INTO nodes (id, name, agent_url, agent_token, updated_at)
     SELECT id, 'bench-' || ord, url, token, now()
       FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH ORDINALITY AS u(id, url, token, ord)`,
    [ids, agents.map((agent) => agent.url), agents.map((agent) => agent.token)],
  );
  return ids;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const database = `bridgefleet_bench_${randomBytes(4).toString('hex')}`;
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  console.log(`starting ${AGENTS} simulated agents…`);
  const fleet = await startFleet();
  let closing = false;
  fleet.child.once('exit', (code) => {
    if (closing) return;
    console.error(`the sim fleet died (exit ${code}); figures would be meaningless`);
    process.exit(1);
  });
  const app = await createControlPlane(
    loadConfig({
      DATABASE_URL: url.toString(),
      REDIS_URL,
      REDIS_PREFIX: `bfbench${randomBytes(3).toString('hex')}`,
      ROLES: 'poller',
      MIGRATE_ON_START: 'true',
      LOG_LEVEL: 'warn',
      HEALTH_POLL_INTERVAL_MS: String(INTERVAL_MS),
    }),
  );
  const db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
  try {
    const ids = await registerNodes(db, fleet.agents);
    await app.init(); // starts the poller
    console.log(`warming up for 2 intervals (first reports turn ${AGENTS} nodes from unknown to healthy)…`);
    await sleep(2 * INTERVAL_MS);
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM nodes WHERE health_state = 'healthy'`);
    console.log(`healthy after warm-up: ${rows[0]!.n}/${AGENTS}`);

    latencies.length = 0;
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    await sleep(MEASURE_INTERVALS * INTERVAL_MS);
    const cpu = process.cpuUsage(cpuBefore);
    const wallMs = performance.now() - wallBefore;
    const sorted = [...latencies].sort((a, b) => a - b);
    const probesPerSecond = latencies.length / (wallMs / 1_000);
    const cpuShare = (cpu.user + cpu.system) / 1_000 / wallMs;
    const rss = await ask<number>(fleet.child, { rss: true }, 'rss');

    const victim = fleet.victim;
    await ask(fleet.child, { kill: victim }, 'killed');
    const killedAt = performance.now();
    let detectMs = NaN;
    while (performance.now() - killedAt < 6 * INTERVAL_MS) {
      const state = await db.query<{ health_state: string }>('SELECT health_state FROM nodes WHERE id = $1', [ids[victim]]);
      if (state.rows[0]?.health_state === 'unreachable') {
        detectMs = performance.now() - killedAt;
        break;
      }
      await sleep(50);
    }

    const line = (name: string, value: string, ratio: string) => console.log(`${name.padEnd(28)} ${value.padStart(14)}   ${ratio}`);
    console.log(
      `\nhealth poller: ${AGENTS} agents, interval ${INTERVAL_MS / 1_000} s, fleet ${FLEET === 'sim' ? 'startSimFleet (one port)' : `one port per agent, keep-alive ${AGENT_KEEPALIVE_MS / 1_000} s`}, measured over ${(wallMs / 1_000).toFixed(1)} s`,
    );
    line(
      'probes/s',
      probesPerSecond.toFixed(0),
      `target ≥ ${TARGETS.probesPerSecond}: ${(probesPerSecond / TARGETS.probesPerSecond).toFixed(2)}×`,
    );
    line(
      'poller CPU (share of 1 core)',
      `${(cpuShare * 100).toFixed(1)} %`,
      `target < 25 %: ${(cpuShare / TARGETS.cpuShare).toFixed(2)}× of budget`,
    );
    line('probe latency p50', `${percentile(sorted, 50).toFixed(2)} ms`, '');
    line('probe latency p99', `${percentile(sorted, 99).toFixed(2)} ms`, '');
    line('sim fleet RSS', `${(rss / 1024 ** 2).toFixed(0)} MB`, `target < 1024 MB: ${(rss / TARGETS.simRssBytes).toFixed(2)}× of budget`);
    const intervals = detectMs / INTERVAL_MS;
    line(
      'killed agent detected in',
      `${(detectMs / 1_000).toFixed(1)} s`,
      `${intervals.toFixed(2)} intervals, target ≤ ${TARGETS.detectIntervals}`,
    );
  } finally {
    await db.end();
    await app.close();
    closing = true;
    fleet.child.kill();
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
