export const ADMIN_STATES = ['provisioning', 'active', 'cordoned', 'draining', 'retired'];
export const REPUTATION_STATES = ['warming', 'good', 'throttled', 'flagged', 'banned'];
export const HEALTH_STATES = ['healthy', 'degraded', 'unreachable', 'unknown'];
export const MESSAGE_STATUSES = [
  'queued',
  'assigned',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
  'undeliverable',
  'expired',
  'canceled',
  'received',
];

export function Select({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: string[];
  onChange: (value: string) => void;
}) {
  return (
    <label className="filter">
      {label}
      <select value={value} onChange={(event) => onChange(event.target.value)} aria-label={label}>
        <option value="">any</option>
        {options.map((option) => (
          <option key={option}>{option}</option>
        ))}
      </select>
    </label>
  );
}

/** Keyset paging: remembers the cursors that led here so "previous" works. */
export function Pager({ cursors, next, onChange }: { cursors: string[]; next: string | null; onChange: (cursors: string[]) => void }) {
  return (
    <span className="pager">
      <button disabled={cursors.length === 0} onClick={() => onChange(cursors.slice(0, -1))}>
        ← Previous
      </button>
      <span className="muted">page {cursors.length + 1}</span>
      <button disabled={!next} onClick={() => next && onChange([...cursors, next])}>
        Next →
      </button>
    </span>
  );
}
