import { describe, expect, it } from 'vitest';
import { evaluateStorm, NO_STORM, type StormObservation, type StormState } from './storm-guard.js';

const settings = { stormFraction: 0.5, stormWindowSeconds: 60 };
const T0 = Date.parse('2026-11-25T12:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1_000);

function observe(transitionsAtSeconds: number[], unreachableNow: number, fleetSize = 10): StormObservation {
  return { unreachableTransitions: transitionsAtSeconds.map((s) => T0 + s * 1_000), unreachableNow, fleetSize };
}

describe('evaluateStorm', () => {
  it.each<[string, StormObservation, number, boolean]>([
    ['half the fleet is not more than half', observe([0, 1, 2, 3, 4], 5), 5, false],
    ['more than half within the window is a storm', observe([0, 1, 2, 3, 4, 5], 6), 5, true],
    ['the same spread over more than a window is not', observe([0, 20, 40, 60, 80, 100], 6), 100, false],
    ['an empty fleet never storms', observe([], 0, 0), 0, false],
    ['one node of a fleet of one is a storm', observe([0], 1, 1), 0, true],
    ['transitions stamped in the future (clock went back) still count', observe([100, 100, 100, 100, 100, 100], 6), 0, true],
  ])('%s', (_name, observation, nowSeconds, active) => {
    expect(evaluateStorm(NO_STORM, observation, settings, at(nowSeconds)).state.active).toBe(active);
  });

  it('clears only after a full calm window', () => {
    let state: StormState = evaluateStorm(NO_STORM, observe([0, 1, 2, 3, 4, 5], 6), settings, at(5)).state;
    expect(state).toMatchObject({ active: true, since: T0 + 5_000 });
    // Still 6 unreachable long after the wave: the storm holds.
    state = evaluateStorm(state, observe([0, 1, 2, 3, 4, 5], 6), settings, at(200)).state;
    expect(state.active).toBe(true);
    // Recovered to 2 unreachable: calm starts, not yet cleared.
    const clearing = evaluateStorm(state, observe([], 2), settings, at(210));
    expect(clearing).toMatchObject({ changed: false, state: { active: true, calmSince: T0 + 210_000 } });
    // A relapse inside the calm window restarts it.
    const relapse = evaluateStorm(clearing.state, observe([], 6), settings, at(240)).state;
    expect(relapse.calmSince).toBeNull();
    const calmAgain = evaluateStorm(relapse, observe([], 1), settings, at(250)).state;
    expect(evaluateStorm(calmAgain, observe([], 1), settings, at(300)).state.active).toBe(true);
    const cleared = evaluateStorm(calmAgain, observe([], 1), settings, at(310));
    expect(cleared).toMatchObject({ changed: true, state: NO_STORM });
  });

  it('a backwards clock jump restarts the calm window instead of clearing early or never', () => {
    const storm: StormState = { active: true, since: T0, calmSince: T0 + 50_000 };
    const jumped = evaluateStorm(storm, observe([], 0), settings, at(-1_000)).state;
    expect(jumped).toMatchObject({ active: true, calmSince: T0 - 1_000_000 });
    expect(evaluateStorm(jumped, observe([], 0), settings, at(-940)).state.active).toBe(false);
  });
});
