import { useCallback, useEffect, useRef, useState } from 'react';

/** How often pages refresh themselves: live enough for ops, cheap for the API. */
export const POLL_MS = 4_000;

export interface Polled<T> {
  data: T | undefined;
  error: string | undefined;
  refresh: () => void;
}

/** Loads now and every POLL_MS while mounted; `key` changes (filters, ids) reload at once. */
export function usePoll<T>(load: () => Promise<T>, key: string, intervalMs = POLL_MS): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const loadRef = useRef(load);
  loadRef.current = load;
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let live = true;
    const run = () =>
      loadRef.current().then(
        (value) => live && (setData(value), setError(undefined)),
        (failure: Error) => live && setError(failure.message),
      );
    void run();
    const timer = setInterval(() => void run(), intervalMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [key, tick, intervalMs]);

  const refresh = useCallback(() => setTick((value) => value + 1), []);
  return { data, error, refresh };
}

/** `#/lines/<id>` style routes: no server round trip, works behind any path. */
export function useHashRoute(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [parts, setParts] = useState(read);
  useEffect(() => {
    const onChange = () => setParts(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parts;
}
