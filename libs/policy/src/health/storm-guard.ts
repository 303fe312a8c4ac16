import type { HealthSettings } from '@bridgefleet/contracts/fleet-settings.schema.js';

/**
 * Storm guard (DESIGN.md "Health and remediation"): when more than `stormFraction`
 * of the fleet turns unreachable within `stormWindowSeconds`, the fault is most
 * likely ours or the network's, not the Macs', so automatic actions freeze.
 * The storm clears once no more than that fraction is unreachable (and no new
 * wave is under way) for one full window: a fleet coming back in pieces does not
 * unfreeze remediation on its first good minute.
 */
export interface StormState {
  active: boolean;
  /** Epoch ms the storm began (null when none). */
  since: number | null;
  /** Epoch ms since when the fleet has been calm while a storm is active. */
  calmSince: number | null;
}

export interface StormObservation {
  /** Epoch ms of each node's transition to unreachable (any window; old ones are ignored). */
  unreachableTransitions: readonly number[];
  /** Nodes unreachable right now. */
  unreachableNow: number;
  fleetSize: number;
}

export interface StormStep {
  state: StormState;
  changed: boolean;
  reason: string;
}

export const NO_STORM: StormState = { active: false, since: null, calmSince: null };

type StormSettings = Pick<HealthSettings, 'stormFraction' | 'stormWindowSeconds'>;

export function evaluateStorm(prev: StormState, observation: StormObservation, settings: StormSettings, now: Date): StormStep {
  const nowMs = now.getTime();
  const windowMs = settings.stormWindowSeconds * 1_000;
  const threshold = settings.stormFraction * observation.fleetSize;
  // A transition stamped "in the future" (our clock jumped back) still counts as recent.
  const recent = observation.unreachableTransitions.filter((at) => nowMs - at < windowMs).length;
  const wave = observation.fleetSize > 0 && recent > threshold;
  const summary = `${recent} of ${observation.fleetSize} nodes went unreachable within ${settings.stormWindowSeconds} s, ${observation.unreachableNow} unreachable now`;

  if (!prev.active) {
    if (!wave) return { state: NO_STORM, changed: false, reason: summary };
    return { state: { active: true, since: nowMs, calmSince: null }, changed: true, reason: `storm: ${summary}` };
  }
  const calm = !wave && observation.unreachableNow <= threshold;
  if (!calm) return { state: { ...prev, calmSince: null }, changed: false, reason: `storm: ${summary}` };
  // A calm start in the future means our clock went back: restart the calm period from now.
  const calmSince = prev.calmSince === null || prev.calmSince > nowMs ? nowMs : prev.calmSince;
  if (nowMs - calmSince >= windowMs) return { state: NO_STORM, changed: true, reason: `storm cleared: ${summary}` };
  return { state: { ...prev, calmSince }, changed: false, reason: `storm clearing: ${summary}` };
}
