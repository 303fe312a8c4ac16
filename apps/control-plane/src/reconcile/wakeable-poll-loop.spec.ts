import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WakeablePollLoop } from './wakeable-poll-loop.js';

const POLL_MS = 1_000;

describe('WakeablePollLoop', () => {
  let passes: number;
  let backoff: number;
  let fullBatches: number;
  let loop: WakeablePollLoop;

  beforeEach(() => {
    vi.useFakeTimers();
    passes = 0;
    backoff = 0;
    fullBatches = 0;
    loop = new WakeablePollLoop({
      name: 'test loop',
      logger: new Logger('test', { timestamp: false }),
      pollMs: POLL_MS,
      pass: async () => {
        passes += 1;
        if (fullBatches === 0) return false;
        fullBatches -= 1;
        return true;
      },
      backoffMs: () => backoff,
    });
  });
  afterEach(async () => {
    const stopped = loop.stop();
    await vi.runOnlyPendingTimersAsync();
    await stopped;
    vi.useRealTimers();
  });

  it('polls every pollMs and a nudge runs the next pass at once', async () => {
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(passes).toBe(1);
    await vi.advanceTimersByTimeAsync(POLL_MS - 1);
    expect(passes).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(passes).toBe(2);
    loop.nudge();
    await vi.advanceTimersByTimeAsync(0);
    expect(passes).toBe(3);
  });

  it('ignores nudges while backing off and waits the backoff instead of pollMs', async () => {
    backoff = 5 * POLL_MS;
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    loop.nudge();
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(passes).toBe(1);
    await vi.advanceTimersByTimeAsync(4 * POLL_MS);
    expect(passes).toBe(2);
  });

  it('goes on at once after a full batch, and stop() ends a wait at once', async () => {
    fullBatches = 3;
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(passes).toBe(4);
    await loop.stop();
    await vi.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(passes).toBe(4);
  });
});
