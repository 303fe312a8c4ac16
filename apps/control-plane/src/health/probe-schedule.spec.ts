import { describe, expect, it } from 'vitest';
import { ProbeSchedule, stablePhase } from './probe-schedule.js';

const ids = Array.from({ length: 1_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

describe('ProbeSchedule', () => {
  it('hands out every node exactly once per epoch, in phase order', () => {
    const schedule = new ProbeSchedule();
    schedule.start(7, ids);
    const handed = [...schedule.takeDue(0.25), ...schedule.takeDue(0.25), ...schedule.takeDue(0.5), ...schedule.takeRest()];
    expect(handed).toHaveLength(ids.length);
    expect(new Set(handed).size).toBe(ids.length);
    expect(schedule.takeRest()).toEqual([]);
  });

  it('spreads probes evenly over the interval', () => {
    const schedule = new ProbeSchedule();
    schedule.start(1, ids);
    const perTenth = Array.from({ length: 10 }, (_, i) => schedule.takeDue((i + 1) / 10).length);
    for (const count of perTenth) expect(count).toBeGreaterThan(60);
    for (const count of perTenth) expect(count).toBeLessThan(140);
  });

  it('without jitter follows the stable hash; with jitter the order changes between epochs', () => {
    const still = new ProbeSchedule(0.1, () => 0.5);
    still.start(1, ids);
    expect(still.takeRest()).toEqual([...ids].sort((a, b) => stablePhase(a) - stablePhase(b)));
    const jittered = new ProbeSchedule(0.1);
    jittered.start(1, ids);
    const first = jittered.takeRest();
    jittered.start(2, ids);
    expect(jittered.takeRest()).not.toEqual(first);
  });
});
