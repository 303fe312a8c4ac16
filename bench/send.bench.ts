/**
 * `npm run bench:send` (issue 4): messages/s from POST /v1/messages to the agent's
 * acknowledged send, with p50/p99 latency, at 10, 1,000 and 10,000 simulated lines,
 * each against raw BullMQ (add → no-op worker) on the same Redis in the same run.
 * Targets: ≥ 0.5 × raw BullMQ; the 10,000-line figure within 10 % of the 10-line one;
 * control-plane peak RSS < 512 MB at 10,000 lines. Per stage waits and rates say
 * which stage limits. Options: --lines 10,1000,10000 --messages N --in-flight 64
 * --raw-jobs N (the baseline's job count, at least --messages).
 * Writes artifacts/bench-send.json.
 */
import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { reportRun, reportSummary, type RunResult, type Summary } from './send-report.js';
import { contacts, postMessages } from './send-load.js';
import { CpuMeter, peakRss, pidsNamed } from './send-processes.js';
import { rawBullmq } from './send-raw-bullmq.js';
import { percentile, pipelineFigures } from './send-stages.js';
import { startWorld, type World } from './send-world.js';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '10,1000,10000' },
    messages: { type: 'string', default: '1500' },
    'in-flight': { type: 'string', default: '64' },
    warmup: { type: 'string', default: '300' },
    // The baseline needs more jobs than the pipeline to be stable: 1,500 no-op jobs take ~0.2 s.
    'raw-jobs': { type: 'string', default: '20000' },
  },
});
const LINES = values.lines.split(',').map(Number);
const MESSAGES = Number(values.messages);
const IN_FLIGHT = Number(values['in-flight']);
const WARMUP = Number(values.warmup);
const RAW_JOBS = Math.max(MESSAGES, Number(values['raw-jobs']));
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
// A run whose sim send count does not move for this long is reported as it stands.
// Longer than DISPATCH_LEASE_MS (90 s): a turn that failed leaves its line leased until then.
const STALL_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForSims(world: World, target: number): Promise<number> {
  let last = -1;
  let movedAt = Date.now();
  for (;;) {
    const sent = await world.sentBySims();
    if (sent >= target) return Date.now();
    if (sent !== last) [last, movedAt] = [sent, Date.now()];
    if (Date.now() - movedAt > STALL_MS) {
      console.warn(`  stalled at ${sent}/${target} sends`);
      return Date.now();
    }
    await sleep(100);
  }
}

/** The control plane records `sent` just after the sim answered: wait for the last ones. */
async function waitForSentRecorded(world: World, ids: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { rows } = await world.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE id = ANY($1::uuid[]) AND status IN ('sent', 'delivered', 'read')`,
      [ids],
    );
    if (rows[0]!.n >= ids.length) return;
    await sleep(200);
  }
}

async function measure(lines: number): Promise<RunResult> {
  console.log(`\n— ${lines} lines: starting the control plane and ${lines} simulated lines…`);
  const world = await startWorld(lines, PG_ADMIN_URL, REDIS_URL);
  try {
    const warmupContacts = contacts(WARMUP, 0);
    const measuredContacts = contacts(MESSAGES, WARMUP + 1_000);
    await world.seedContacts([...warmupContacts, ...measuredContacts]);
    await postMessages(world.baseUrl, world.adminKey, warmupContacts, Math.min(IN_FLIGHT, WARMUP));
    await waitForSims(world, WARMUP);
    console.log(`  warmed up (${WARMUP} messages); posting ${MESSAGES} with ${IN_FLIGHT} in flight…`);
    const cpu = new CpuMeter({
      'control plane': () => [world.controlPlane.pid!],
      'sim fleet': () => [world.fleet.pid!],
      'load generator': () => [process.pid],
      postgres: () => pidsNamed('postgres'),
      redis: () => pidsNamed('redis-server'),
    });
    const started = Date.now();
    const { posted, unavailable, internalErrors } = await postMessages(world.baseUrl, world.adminKey, measuredContacts, IN_FLIGHT);
    const postsDone = Date.now();
    const simsDone = await waitForSims(world, WARMUP + MESSAGES);
    const cpuShares = cpu.shares((simsDone - started) / 1_000);
    await waitForSentRecorded(
      world,
      posted.map((p) => p.id),
    );
    const controlPlaneRss = peakRss(world.controlPlane.pid!);
    const pipeline = await pipelineFigures(world.db, posted);
    const acceptPerSecond = posted.length / ((postsDone - started) / 1_000);
    await world.close();
    console.log(`  pipeline done: ${pipeline.perSecond.toFixed(0)} msg/s; raw BullMQ on the same Redis…`);
    const raw = await rawBullmq(REDIS_URL, `${world.redisPrefix}raw`, RAW_JOBS, IN_FLIGHT);
    const result: RunResult = {
      lines,
      pipeline,
      acceptPerSecond,
      unavailable,
      internalErrors,
      raw: {
        jobs: raw.jobs,
        perSecond: raw.perSecond,
        seconds: raw.seconds,
        p50: percentile(raw.latenciesMs, 50),
        p99: percentile(raw.latenciesMs, 99),
      },
      ratio: pipeline.perSecond / raw.perSecond,
      controlPlanePeakRssBytes: controlPlaneRss,
      cpuShares,
    };
    reportRun(result);
    return result;
  } catch (error) {
    await world.close().catch(() => undefined);
    throw error;
  }
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    loadAverageAtStart: os.loadavg(),
    node: process.version,
  };
  console.log(
    `bench:send — ${MESSAGES} messages per run, ${IN_FLIGHT} POSTs in flight, lines ${LINES.join(', ')}; ` +
      `${machine.cpus} × ${machine.cpuModel}, load ${machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const runs: RunResult[] = [];
  const save = async (summary?: Summary) => {
    await mkdir('artifacts', { recursive: true });
    const options = { messages: MESSAGES, inFlight: IN_FLIGHT, warmup: WARMUP, rawJobs: RAW_JOBS, lines: LINES };
    const command = `node ${process.argv.slice(1).join(' ')}`;
    await writeFile('artifacts/bench-send.json', `${JSON.stringify({ startedAt, command, options, machine, runs, summary }, null, 2)}\n`);
  };
  for (const lines of LINES) {
    runs.push(await measure(lines));
    await save(); // a later run that fails keeps the figures so far
  }
  await save(reportSummary(runs));
  console.log('\nwrote artifacts/bench-send.json');
}

// Ctrl-C: exit through process.exit so the children are killed ('exit' handlers in send-processes).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
