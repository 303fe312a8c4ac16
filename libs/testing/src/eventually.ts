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
