import { useState, type FormEvent } from 'react';
import { get, post } from '../api.js';
import { usePoll } from '../hooks.js';
import { useCan } from '../session.js';
import type { Run, Runbook } from '../types.js';

/** Run an allowlisted runbook on a node; the reason goes to the audit log. */
export function RunbookForm({ nodeId, onStarted }: { nodeId: string; onStarted: () => void }) {
  const runbooks = usePoll(() => get<Runbook[] | { items: Runbook[] }>('/v1/runbooks'), 'runbooks', 60_000);
  const canRun = useCan('remediation:run');
  const [runbook, setRunbook] = useState('');
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  const list = Array.isArray(runbooks.data) ? runbooks.data : (runbooks.data?.items ?? []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const run = await post<Run>(`/v1/nodes/${nodeId}/remediations`, { runbook, reason });
      setOutcome({ ok: true, text: `run ${run.id.slice(0, 8)} ${run.status}` });
      setReason('');
      onStarted();
    } catch (error) {
      setOutcome({ ok: false, text: (error as Error).message });
    }
  };

  return (
    <form className="actions" onSubmit={(event) => void submit(event)} data-testid="runbook-form">
      <select value={runbook} onChange={(event) => setRunbook(event.target.value)} aria-label="Runbook">
        <option value="">choose a runbook</option>
        {list.map((book) => (
          <option key={book.name} value={book.name} title={book.description}>
            {book.name}
          </option>
        ))}
      </select>
      <input placeholder="reason" value={reason} onChange={(event) => setReason(event.target.value)} aria-label="Run reason" />
      <button type="submit" disabled={!runbook || !reason.trim()}>
        Run
      </button>
      {!canRun && <span className="muted">This key lacks remediation:run.</span>}
      {outcome && <span className={outcome.ok ? 'ok-text' : 'error'}>{outcome.text}</span>}
    </form>
  );
}
