/** Tables and verdicts of `npm run bench:send`. */
import { limitingStage, STAGES, type PipelineFigures } from './send-stages.js';

export interface RunResult {
  lines: number;
  pipeline: PipelineFigures;
  /** POSTs answered 202 per second (the API alone). */
  acceptPerSecond: number;
  /** 503s the API answered (retried after Retry-After); latency counts from the first try. */
  unavailable: number;
  /** 500s the API answered (retried with the same Idempotency-Key). */
  internalErrors: number;
  raw: { jobs: number; perSecond: number; seconds: number; p50: number; p99: number };
  ratio: number;
  controlPlanePeakRssBytes: number;
  /** Share of one core per process group over the measured window. */
  cpuShares: Record<string, number>;
}

export const TARGETS = { ratio: 0.5, scaleDrift: 0.1, rssBytes: 512 * 1024 ** 2 };

const ms = (value: number) => `${value.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
const pct = (share: number) => `${(share * 100).toFixed(0)} %`;

export function reportRun(run: RunResult): void {
  const p = run.pipeline;
  console.log(
    `  ${run.lines} lines: ${p.sent}/${p.messages} sent in ${p.seconds.toFixed(1)} s = ${p.perSecond.toFixed(0)} msg/s ` +
      `(POSTs accepted at ${run.acceptPerSecond.toFixed(0)}/s, ${run.unavailable} × 503 and ${run.internalErrors} × 500 retried), latency p50 ${ms(p.latency.p50)} p99 ${ms(p.latency.p99)}; ` +
      `raw BullMQ ${run.raw.perSecond.toFixed(0)} msg/s (${run.raw.jobs} jobs) → ratio ${run.ratio.toFixed(3)}`,
  );
  console.log(`  ${'stage'.padEnd(62)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'msg/s'.padStart(8)}`);
  for (const { key, label } of STAGES) {
    const s = p.stages[key];
    console.log(`  ${label.padEnd(62)} ${ms(s.p50).padStart(9)} ${ms(s.p99).padStart(9)} ${s.rate.toFixed(0).padStart(8)}`);
  }
  const cpu = Object.entries(run.cpuShares)
    .map(([name, share]) => `${name} ${pct(share)}`)
    .join(', ');
  console.log(`  CPU (share of one core): ${cpu}; control-plane peak RSS ${mb(run.controlPlanePeakRssBytes)}`);
  // CPU time per message bounds the rate: 1 s of one core / this = the most one process can do.
  const cpuMsPerMessage = ((run.cpuShares['control plane'] ?? NaN) * p.seconds * 1_000) / p.sent;
  console.log(
    `  control-plane CPU per message: ${cpuMsPerMessage.toFixed(1)} ms (one core's ceiling: ${(1_000 / cpuMsPerMessage).toFixed(0)} msg/s)`,
  );
  const limit = limitingStage(p);
  console.log(`  limiting stage: ${limit.label} (${pct(limit.share)} of the median message's time)`);
}

export interface Summary {
  table: Array<Record<string, string | number>>;
  verdicts: string[];
}

export function reportSummary(runs: RunResult[]): Summary {
  console.log(
    `\n${'lines'.padStart(6)} ${'msg/s'.padStart(7)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'raw BullMQ'.padStart(11)} ${'ratio'.padStart(6)} ` +
      `${'CP RSS'.padStart(7)} ${'CP CPU'.padStart(7)} ${'PG CPU'.padStart(7)}  limiting stage`,
  );
  const table = runs.map((run) => {
    const limit = limitingStage(run.pipeline);
    const row = {
      lines: run.lines,
      perSecond: Math.round(run.pipeline.perSecond),
      p50Ms: Math.round(run.pipeline.latency.p50),
      p99Ms: Math.round(run.pipeline.latency.p99),
      rawPerSecond: Math.round(run.raw.perSecond),
      ratio: Number(run.ratio.toFixed(3)),
      controlPlanePeakRssMb: Math.round(run.controlPlanePeakRssBytes / 1024 ** 2),
      limitingStage: limit.key,
    };
    console.log(
      `${String(run.lines).padStart(6)} ${String(row.perSecond).padStart(7)} ${ms(run.pipeline.latency.p50).padStart(8)} ${ms(run.pipeline.latency.p99).padStart(8)} ` +
        `${String(row.rawPerSecond).padStart(11)} ${run.ratio.toFixed(3).padStart(6)} ${mb(run.controlPlanePeakRssBytes).padStart(7)} ` +
        `${pct(run.cpuShares['control plane'] ?? NaN).padStart(7)} ${pct(run.cpuShares.postgres ?? NaN).padStart(7)}  ${limit.label}`,
    );
    return row;
  });
  const verdicts: string[] = [];
  for (const run of runs) {
    const ok = run.ratio >= TARGETS.ratio;
    verdicts.push(`${run.lines} lines: ${run.ratio.toFixed(3)} × raw BullMQ, target ≥ ${TARGETS.ratio}: ${ok ? 'met' : 'MISSED'}`);
  }
  const few = runs.find((run) => run.lines === 10);
  const many = runs.find((run) => run.lines === 10_000);
  if (few && many) {
    const drift = many.pipeline.perSecond / few.pipeline.perSecond - 1;
    verdicts.push(
      `10,000 vs 10 lines: ${(drift * 100).toFixed(1)} %, target within ±10 %: ${Math.abs(drift) <= TARGETS.scaleDrift ? 'met' : 'MISSED'}`,
    );
  }
  if (many) {
    const ok = many.controlPlanePeakRssBytes < TARGETS.rssBytes;
    verdicts.push(
      `control-plane peak RSS at 10,000 lines: ${mb(many.controlPlanePeakRssBytes)}, target < 512 MB: ${ok ? 'met' : 'MISSED'}`,
    );
  }
  console.log('');
  for (const verdict of verdicts) console.log(verdict);
  return { table, verdicts };
}
