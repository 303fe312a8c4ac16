import { describe, expect, it } from 'vitest';
import { ManualTimers } from './manual-timers.js';
import { repeatPass } from './repeating-pass.js';

describe('repeatPass', () => {
  it('runs a pass every interval after the previous one, and keeps going after one fails', async () => {
    const timers = new ManualTimers();
    const errors: string[] = [];
    let runs = 0;
    const loop = repeatPass(
      timers,
      1_000,
      async () => {
        runs++;
        if (runs === 2) throw new Error('ledger write failed');
      },
      (error) => errors.push(error.message),
    );
    await timers.advance(999);
    expect(runs).toBe(0);
    await timers.advance(1);
    await timers.advance(2_000);
    expect(runs).toBe(3);
    expect(errors).toEqual(['ledger write failed']);
    loop.stop();
    await timers.advance(5_000);
    expect(runs).toBe(3);
  });

  it('schedules nothing after stop, even when a pass was still running', async () => {
    const timers = new ManualTimers();
    let finish: () => void = () => undefined;
    const loop = repeatPass(
      timers,
      1_000,
      () => new Promise<void>((resolve) => (finish = resolve)),
      () => undefined,
    );
    await timers.advance(1_000);
    loop.stop();
    finish();
    await timers.advance(0);
    expect(timers.pending).toBe(0);
  });
});
