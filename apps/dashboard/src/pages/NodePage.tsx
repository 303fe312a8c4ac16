import { get } from '../api.js';
import { RunbookForm } from '../components/RunbookForm.js';
import { StateBadge } from '../components/StateBadge.js';
import { usePoll } from '../hooks.js';
import type { FleetNode, Page, Run } from '../types.js';

interface HealthChange {
  at: string;
  from: string | null;
  to: string | null;
  reason: string | null;
}

export function NodePage({ id }: { id: string }) {
  const node = usePoll(() => get<FleetNode>(`/v1/nodes/${id}`), id);
  const history = usePoll(() => get<{ items: HealthChange[] }>(`/v1/nodes/${id}/health-history?limit=50`), id, 10_000);
  const runs = usePoll(() => get<Page<Run>>(`/v1/nodes/${id}/remediations?limit=20`), id, 2_000);
  if (node.error && !node.data) return <p className="error">{node.error}</p>;
  if (!node.data) return <p className="muted">Loading…</p>;
  const current = node.data;
  return (
    <section>
      <h2>
        {current.name} <StateBadge state={current.health.state} testId="node-health" />
      </h2>
      <p className="muted">
        {current.agentUrl} · SSH {current.ssh ? `${current.ssh.user}@${current.ssh.host}:${current.ssh.port}` : 'not configured'} · checked{' '}
        {current.health.lastCheckedAt ?? 'never'} · {current.health.consecutiveFailures} consecutive failures
      </p>
      <h3>Remediation</h3>
      <RunbookForm nodeId={id} onStarted={runs.refresh} />
      {runs.error && <p className="error">{runs.error}</p>}
      {runs.data?.items.map((run) => (
        <details key={run.id} className="run" open={runs.data?.items[0]?.id === run.id} data-testid={`run-${run.id}`}>
          <summary>
            <StateBadge state={run.status} /> {run.runbook} · {run.reason} · by {run.requestedBy} · exit {run.exitCode ?? '–'} ·{' '}
            {run.finishedAt ?? run.startedAt ?? run.createdAt}
          </summary>
          <pre data-testid="run-output">{run.output || '(no output yet)'}</pre>
        </details>
      ))}
      <div className="columns">
        <div>
          <h3>Health history</h3>
          {history.error && <p className="error">{history.error}</p>}
          <table className="table">
            <tbody>
              {history.data?.items.map((change) => (
                <tr key={`${change.at}-${change.to}`}>
                  <td>{new Date(change.at).toLocaleString()}</td>
                  <td>
                    {change.from ?? '?'} → <StateBadge state={change.to ?? 'unknown'} />
                  </td>
                  <td className="muted">{change.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h3>Latest report</h3>
          <pre data-testid="latest-report">{JSON.stringify(current.health.lastReport, null, 2)}</pre>
        </div>
      </div>
    </section>
  );
}
