import type { TimerHandle, Timers } from './clock.js';

export interface RepeatingPass {
  /** Cancels the next pass, including the one a pass still running would schedule. */
  stop(): void;
}

/**
 * Runs `pass` `intervalMs` after the previous one ended, never two at once. A failing pass
 * is reported and the next one still runs: one bad record must not end reconciling for good.
 */
export function repeatPass(timers: Timers, intervalMs: number, pass: () => Promise<void>, onError: (error: Error) => void): RepeatingPass {
  let stopped = false;
  let timer: TimerHandle | undefined;
  const schedule = () => {
    if (!stopped) timer = timers.setTimeout(run, intervalMs);
  };
  const run = () => void pass().catch(onError).finally(schedule);
  schedule();
  return {
    stop() {
      stopped = true;
      timers.clearTimeout(timer);
    },
  };
}
