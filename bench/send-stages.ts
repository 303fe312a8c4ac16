/**
 * Where the time goes in `npm run bench:send`: per message, the POST (client side) and
 * the status history the control plane wrote (created → assigned → sending → sent),
 * read from PostgreSQL after the run so the reading costs the pipeline nothing.
 */
import type pg from 'pg';
import type { Posted } from './send-load.js';

export const STAGES = [
  { key: 'accept', label: 'POST → 202 (queued committed)' },
  { key: 'route', label: 'queued → assigned (outbox relay, route job, router)' },
  { key: 'dispatch', label: 'assigned → sending (line queue, claim, turn reads, governor)' },
  { key: 'agent', label: 'sending → sent (agent call, sent committed)' },
] as const;
export type StageKey = (typeof STAGES)[number]['key'];

export interface StageFigures {
  p50: number;
  p99: number;
  /** Messages through the stage per second of the run (from the first POST). */
  rate: number;
}

export interface PipelineFigures {
  messages: number;
  sent: number;
  seconds: number;
  perSecond: number;
  latency: { p50: number; p99: number };
  stages: Record<StageKey, StageFigures>;
}

interface Row {
  id: string;
  created: Date;
  assigned: Date | null;
  sending: Date | null;
  sent: Date | null;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function pipelineFigures(db: pg.Client, posted: Posted[]): Promise<PipelineFigures> {
  const { rows } = await db.query<Row>(
    `SELECT m.id, m.created_at AS created,
            min(e.at) FILTER (WHERE e.status = 'assigned') AS assigned,
            min(e.at) FILTER (WHERE e.status = 'sending') AS sending,
            min(e.at) FILTER (WHERE e.status = 'sent') AS sent
       FROM messages m JOIN message_status_events e ON e.message_id = m.id
      WHERE m.id = ANY($1::uuid[])
      GROUP BY m.id, m.created_at`,
    [posted.map((p) => p.id)],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const start = posted.reduce((min, p) => Math.min(min, p.startedAt), Infinity);
  const durations: Record<StageKey | 'total', number[]> = { accept: [], route: [], dispatch: [], agent: [], total: [] };
  const reached: Record<StageKey, number[]> = { accept: [], route: [], dispatch: [], agent: [] };
  for (const post of posted) {
    const row = byId.get(post.id);
    durations.accept.push(post.acceptedAt - post.startedAt);
    reached.accept.push(post.acceptedAt);
    if (!row?.assigned) continue;
    durations.route.push(row.assigned.getTime() - row.created.getTime());
    reached.route.push(row.assigned.getTime());
    if (!row.sending) continue;
    durations.dispatch.push(row.sending.getTime() - row.assigned.getTime());
    reached.dispatch.push(row.sending.getTime());
    if (!row.sent) continue;
    durations.agent.push(row.sent.getTime() - row.sending.getTime());
    reached.agent.push(row.sent.getTime());
    durations.total.push(row.sent.getTime() - post.startedAt);
  }
  const last = (times: number[]) => times.reduce((max, t) => Math.max(max, t), -Infinity);
  const rate = (times: number[]) => (times.length ? times.length / ((last(times) - start) / 1_000) : 0);
  const stages = Object.fromEntries(
    STAGES.map(({ key }) => [key, { p50: percentile(durations[key], 50), p99: percentile(durations[key], 99), rate: rate(reached[key]) }]),
  ) as Record<StageKey, StageFigures>;
  const seconds = reached.agent.length ? (last(reached.agent) - start) / 1_000 : NaN;
  return {
    messages: posted.length,
    sent: reached.agent.length,
    seconds,
    perSecond: reached.agent.length / seconds,
    latency: { p50: percentile(durations.total, 50), p99: percentile(durations.total, 99) },
    stages,
  };
}

/**
 * The stage that limits: with a closed loop of POSTs the backlog builds up in front of
 * the slowest stage, so its wait is the longest and its rate the first to fall.
 */
export function limitingStage(figures: PipelineFigures): { key: StageKey; label: string; share: number } {
  const total = STAGES.reduce((sum, { key }) => sum + figures.stages[key].p50, 0);
  const worst = STAGES.reduce((a, b) => (figures.stages[b.key].p50 > figures.stages[a.key].p50 ? b : a));
  return { key: worst.key, label: worst.label, share: figures.stages[worst.key].p50 / total };
}
