/**
 * Polls `probe` until it returns a truthy value. `tick` runs between polls: tests with
 * a ManualClock advance it there, so timers of the system under test are reached
 * without sleeping through them.
 */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  { timeoutMs = 20_000, intervalMs = 50, tick }: { timeoutMs?: number; intervalMs?: number; tick?: () => void } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    tick?.();
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Waits until `read` gives the same value for `quietMs`: the system has stopped changing. */
export async function settled<T>(
  read: () => Promise<T>,
  quietMs = 800,
  { timeoutMs = 20_000, tick }: { timeoutMs?: number; tick?: () => void } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > deadline) throw new Error('the system did not settle');
    tick?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await read();
    if (JSON.stringify(next) !== JSON.stringify(value)) {
      value = next;
      since = Date.now();
    }
  }
  return value;
}

/**
 * Polls `read` until `done` holds and returns that value (which may be falsy, unlike
 * `eventually`); a throwing `read` fails at once. Real time, bounded, for states the
 * system reaches by itself.
 */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
