import type { AgentHealthReport } from '@bridgefleet/contracts/agent.schema.js';
import type { HealthSettings } from '@bridgefleet/contracts/fleet-settings.schema.js';
import type { HealthState } from '../line-lifecycle.js';

/**
 * What the control plane remembers about a node between probes. Times are the
 * control plane's own observation times (epoch ms), never the Mac's clock: a Mac
 * whose clock is wrong or jumps must not make a node look stuck or fine.
 */
export interface NodeHealthMemory {
  state: HealthState;
  consecutiveFailures: number;
  consecutiveGood: number;
  /** Observed time with pending work and no new send, summed over observations (ms). */
  stalledMs: number;
  /** The agent's lastMessageSentAt at the last observation, used only as a progress marker. */
  progressMarker: string | null;
  /** Control-plane time of the last report (not miss), epoch ms. */
  lastReportAt: number | null;
}

export type HealthObservation = { kind: 'report'; report: AgentHealthReport } | { kind: 'miss'; error: string };

export interface HealthStep {
  state: HealthState;
  memory: NodeHealthMemory;
  changed: boolean;
  /** Why the node is in `state` now (for the audit event and the node view). */
  reason: string;
}

export function initialHealthMemory(state: HealthState = 'unknown', consecutiveFailures = 0): NodeHealthMemory {
  return { state, consecutiveFailures, consecutiveGood: 0, stalledMs: 0, progressMarker: null, lastReportAt: null };
}

/** Sendable = not unreachable (DESIGN.md "Line lifecycle"): unknown and degraded lines still send. */
export function isHealthSendable(state: HealthState): boolean {
  return state !== 'unreachable';
}

/**
 * One step of the health state machine with hysteresis:
 * - `missesToUnreachable` consecutive misses make a node unreachable; fewer change nothing,
 *   so one lost probe does not pause a line.
 * - A report that shows a problem (agent unhealthy, Messages.app down, helper
 *   disconnected, signed out, no disk access, stuck sends) degrades at once: the
 *   agent said so itself.
 * - `goodToRecover` consecutive good reports bring a degraded or unreachable node
 *   back. A node never seen before (unknown) is healthy on its first good report,
 *   since there is no flapping history to damp.
 */
export function nextHealth(prev: NodeHealthMemory, observation: HealthObservation, settings: HealthSettings, now: Date): HealthStep {
  if (observation.kind === 'miss') return onMiss(prev, observation.error, settings);
  return onReport(prev, observation.report, settings, now.getTime());
}

function onMiss(prev: NodeHealthMemory, error: string, settings: HealthSettings): HealthStep {
  const failures = prev.consecutiveFailures + 1;
  // The stall clock keeps its sum: a node that stops answering while stuck is not "unstuck".
  const memory: NodeHealthMemory = { ...prev, consecutiveFailures: failures, consecutiveGood: 0 };
  if (failures >= settings.missesToUnreachable) {
    return step(prev, { ...memory, state: 'unreachable' }, `missed ${failures} consecutive probes (last: ${error})`);
  }
  return step(prev, memory, prev.state === 'unreachable' ? `still unreachable (last: ${error})` : `missed probe ${failures}: ${error}`);
}

function onReport(prev: NodeHealthMemory, report: AgentHealthReport, settings: HealthSettings, nowMs: number): HealthStep {
  const stalledMs = nextStall(prev, report, settings, nowMs);
  const base: NodeHealthMemory = {
    ...prev,
    consecutiveFailures: 0,
    stalledMs,
    progressMarker: report.lastMessageSentAt ?? null,
    lastReportAt: nowMs,
  };
  const problem = reportProblem(report, stalledMs, settings);
  if (problem !== null) return step(prev, { ...base, consecutiveGood: 0, state: 'degraded' }, problem);

  const good = prev.consecutiveGood + 1;
  const memory = { ...base, consecutiveGood: good };
  if (prev.state === 'healthy') return step(prev, { ...memory, state: 'healthy' }, 'reporting healthy');
  if (prev.state === 'unknown') return step(prev, { ...memory, state: 'healthy' }, 'first good report');
  if (good >= settings.goodToRecover) return step(prev, { ...memory, state: 'healthy' }, `recovered after ${good} good reports`);
  return step(prev, { ...memory, state: prev.state }, `good report ${good} of ${settings.goodToRecover} needed to recover`);
}

/**
 * Stuck = pending work and no new send for `stuckAfterSeconds` of observed time.
 * Each observation adds the time since the previous report, clamped to [0, 2 intervals]:
 * a backwards clock jump adds nothing and a forward jump (or a long gap without
 * reports) adds at most two intervals, so neither can declare a node stuck at once.
 * Any change of lastMessageSentAt counts as progress, whatever the Mac's clock says.
 */
function nextStall(prev: NodeHealthMemory, report: AgentHealthReport, settings: HealthSettings, nowMs: number): number {
  const marker = report.lastMessageSentAt ?? null;
  if (report.pendingCommands === 0 || marker !== prev.progressMarker || prev.lastReportAt === null) return 0;
  const elapsed = Math.min(Math.max(nowMs - prev.lastReportAt, 0), 2 * settings.pollIntervalSeconds * 1_000);
  return prev.stalledMs + elapsed;
}

function reportProblem(report: AgentHealthReport, stalledMs: number, settings: HealthSettings): string | null {
  const signals = report.signals;
  if (report.status === 'unhealthy') return 'agent reports unhealthy';
  if (!report.messagesAppRunning) return 'Messages.app is not running';
  if (signals.helperConnected === false) return 'private API helper disconnected';
  if (signals.imessageSignedIn === false) return 'signed out of iMessage';
  if (signals.icloudSignedIn === false) return 'signed out of iCloud';
  if (signals.diskAccess === false) return 'no Full Disk Access';
  if (signals.bridgeReachable === false) return 'bridge does not answer';
  if (stalledMs >= settings.stuckAfterSeconds * 1_000) {
    return `stuck: ${report.pendingCommands} pending, nothing sent for ${Math.round(stalledMs / 1_000)} s`;
  }
  return null;
}

function step(prev: NodeHealthMemory, memory: NodeHealthMemory, reason: string): HealthStep {
  return { state: memory.state, memory, changed: memory.state !== prev.state, reason };
}
