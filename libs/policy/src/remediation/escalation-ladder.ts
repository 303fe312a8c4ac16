import type { RemediationSettings } from '@bridgefleet/contracts/fleet-settings.schema.js';
import type { HealthState } from '../line-lifecycle.js';

/** An automatic run on the node, as the ladder needs to see it. */
export interface AutomaticRun {
  runbook: string;
  /** queued/running runs are still active; anything else is finished. */
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'timed_out';
  createdAt: Date;
  finishedAt: Date | null;
}

export interface LadderInput {
  health: HealthState;
  settings: RemediationSettings;
  /** When the node last left `healthy` (the start of this episode); runs before it belong to an earlier one. */
  episodeStart: Date;
  /** The node's automatic runs covering at least the last hour and the episode, any order. */
  history: readonly AutomaticRun[];
  stormActive: boolean;
  now: Date;
}

export type LadderDecision =
  | { action: 'run'; runbook: string; step: number; of: number; reason: string }
  | { action: 'wait'; until: Date | null; reason: string }
  | { action: 'stop'; reason: string };

const HOUR_MS = 3_600_000;
const isActive = (run: AutomaticRun) => run.status === 'queued' || run.status === 'running';

/**
 * The escalation ladder (DESIGN.md "Health and remediation"): while a node is degraded
 * or unreachable, run the next rung of the ladder, one at a time, waiting the cooldown
 * after each and never more than maxRunsPerHour on one node; hold everything while the
 * storm guard holds (the fault is then likely ours, not the Mac's); stop when the node
 * is healthy again or every rung was tried. Pure: the caller brings the facts and the time.
 */
export function nextLadderAction(input: LadderInput): LadderDecision {
  const { settings, now } = input;
  if (!settings.autoRemediation) return { action: 'stop', reason: 'auto-remediation is off in the fleet settings' };
  if (input.health !== 'degraded' && input.health !== 'unreachable') {
    return { action: 'stop', reason: `node is ${input.health}` };
  }
  if (input.stormActive) return { action: 'wait', until: null, reason: 'storm guard holds: automatic actions are frozen' };

  const ordered = [...input.history].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const active = ordered.find(isActive);
  if (active) return { action: 'wait', until: null, reason: `${active.runbook} is still ${active.status}` };

  const episode = ordered.filter((run) => run.createdAt.getTime() >= input.episodeStart.getTime());
  const rung = episode.length;
  if (rung >= settings.ladder.length) {
    return {
      action: 'stop',
      reason: `ladder exhausted: all ${settings.ladder.length} steps ran and the node is still ${input.health}; a person has to look`,
    };
  }
  if (settings.maxRunsPerHour === 0) return { action: 'stop', reason: 'maxRunsPerHour is 0' };

  const lastHour = ordered.filter((run) => now.getTime() - run.createdAt.getTime() < HOUR_MS);
  if (lastHour.length >= settings.maxRunsPerHour) {
    const oldest = lastHour[lastHour.length - settings.maxRunsPerHour]!;
    return {
      action: 'wait',
      until: new Date(oldest.createdAt.getTime() + HOUR_MS),
      reason: `hourly cap: ${lastHour.length} automatic runs in the last hour (max ${settings.maxRunsPerHour})`,
    };
  }

  const last = episode[episode.length - 1];
  if (last) {
    const ended = (last.finishedAt ?? last.createdAt).getTime();
    const until = ended + settings.stepCooldownSeconds * 1_000;
    if (now.getTime() < until) {
      return { action: 'wait', until: new Date(until), reason: `cooldown after ${last.runbook} (${settings.stepCooldownSeconds} s)` };
    }
  }

  const runbook = settings.ladder[rung]!;
  return {
    action: 'run',
    runbook,
    step: rung + 1,
    of: settings.ladder.length,
    reason: `node is ${input.health}: step ${rung + 1}/${settings.ladder.length} of the escalation ladder`,
  };
}
