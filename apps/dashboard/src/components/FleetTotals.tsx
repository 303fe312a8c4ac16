import type { Line, Summary } from '../types.js';

function breakdown(counts: Record<string, number> | undefined): string {
  return Object.entries(counts ?? {})
    .map(([state, count]) => `${count} ${state}`)
    .join(' · ');
}

/** Fleet-wide counts from the server, plus today's sends summed over the lines on screen. */
export function FleetTotals({ summary, lines }: { summary: Summary | undefined; lines: Line[] }) {
  const sent = lines.reduce((sum, line) => sum + line.usage.sent, 0);
  const cap = lines.reduce((sum, line) => sum + line.usage.cap, 0);
  const inbound = lines.reduce((sum, line) => sum + line.usage.inbound, 0);
  return (
    <div className="cards" data-testid="fleet-totals">
      <div className="card">
        <h3>Lines</h3>
        <b>{summary?.lines.total ?? '…'}</b>
        <small>{breakdown(summary?.lines.admin)}</small>
        <small>{breakdown(summary?.lines.reputation)}</small>
      </div>
      <div className="card">
        <h3>Line health</h3>
        <small>{breakdown(summary?.lines.health)}</small>
      </div>
      <div className="card">
        <h3>Nodes</h3>
        <b>{summary?.nodes.total ?? '…'}</b>
        <small>{breakdown(summary?.nodes.health)}</small>
      </div>
      <div className="card">
        <h3>Messages</h3>
        <b data-testid="waiting-total">{summary?.messages.waiting ?? '…'}</b>
        <small>waiting · {summary?.messages.sending ?? '…'} sending</small>
      </div>
      <div className="card">
        <h3>Sent today (this page)</h3>
        <b>
          {sent} / {cap}
        </b>
        <small>{inbound} inbound</small>
      </div>
    </div>
  );
}
