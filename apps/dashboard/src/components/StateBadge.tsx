const TONE: Record<string, string> = {
  active: 'ok',
  good: 'ok',
  healthy: 'ok',
  succeeded: 'ok',
  warming: 'info',
  provisioning: 'info',
  queued: 'info',
  running: 'info',
  cordoned: 'warn',
  draining: 'warn',
  throttled: 'warn',
  degraded: 'warn',
  unknown: 'muted',
  retired: 'muted',
  flagged: 'bad',
  banned: 'bad',
  unreachable: 'bad',
  failed: 'bad',
  timed_out: 'bad',
};

export function StateBadge({ state, testId }: { state: string; testId?: string }) {
  return (
    <span className={`badge ${TONE[state] ?? 'muted'}`} data-testid={testId}>
      {state}
    </span>
  );
}
