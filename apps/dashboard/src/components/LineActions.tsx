import { useState } from 'react';
import { post } from '../api.js';
import { useCan } from '../session.js';
import type { Line } from '../types.js';

const ADMIN_ACTIONS = ['cordon', 'uncordon', 'drain', 'retire'] as const;
// Reputation changes by hand always need a reason (it goes to the audit log).
const REPUTATION_ACTIONS = ['flag', 'clear'] as const;

/** Lifecycle and reputation buttons; the API answers 409 when the state does not allow one. */
export function LineActions({ line, onDone }: { line: Line; onDone: () => void }) {
  const canWrite = useCan('fleet:write');
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);

  const act = async (action: string, needsReason: boolean) => {
    if (needsReason && !reason.trim()) return setOutcome({ ok: false, text: `Give a reason to ${action} the line.` });
    if (action === 'retire' && !window.confirm(`Retire ${line.phoneNumber} for good?`)) return;
    setBusy(true);
    try {
      await post(`/v1/lines/${line.id}/${action}`, reason.trim() ? { reason: reason.trim() } : {});
      setOutcome({ ok: true, text: `${action}: done` });
      setReason('');
      onDone();
    } catch (error) {
      setOutcome({ ok: false, text: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="actions" data-testid="line-actions">
      <input
        placeholder="reason (needed for flag and clear)"
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        aria-label="Reason"
      />
      {ADMIN_ACTIONS.map((action) => (
        <button key={action} disabled={busy} onClick={() => void act(action, false)}>
          {action}
        </button>
      ))}
      {REPUTATION_ACTIONS.map((action) => (
        <button key={action} disabled={busy} onClick={() => void act(action, true)}>
          {action}
        </button>
      ))}
      {!canWrite && <span className="muted">This key lacks fleet:write: actions will be refused.</span>}
      {outcome && (
        <span className={outcome.ok ? 'ok-text' : 'error'} role="status" data-testid="action-outcome">
          {outcome.text}
        </span>
      )}
    </div>
  );
}
