import { get, query } from '../api.js';
import { LineActions } from '../components/LineActions.js';
import { MessageTable } from '../components/MessageTable.js';
import { StateBadge } from '../components/StateBadge.js';
import { UsageCharts, withToday, type UsageDay } from '../components/UsageCharts.js';
import { RatioCell, UsageMeter } from '../components/UsageMeter.js';
import { usePoll } from '../hooks.js';
import type { Contact, Line, Message, Page } from '../types.js';

export function LinePage({ id }: { id: string }) {
  const line = usePoll(() => get<Line>(`/v1/lines/${id}`), id);
  const history = usePoll(() => get<{ days: UsageDay[] }>(`/v1/lines/${id}/usage?days=7`), id, 30_000);
  const contacts = usePoll(() => get<Page<Contact>>(`/v1/lines/${id}/contacts?limit=50`), id, 15_000);
  const recent = usePoll(() => get<Page<Message>>(`/v1/messages${query({ lineId: id, limit: 25 })}`), id);
  const failures = usePoll(() => get<Page<Message>>(`/v1/messages${query({ lineId: id, status: 'failed', limit: 10 })}`), id, 15_000);
  if (line.error && !line.data) return <p className="error">{line.error}</p>;
  if (!line.data) return <p className="muted">Loading…</p>;
  const current = line.data;
  return (
    <section>
      <h2>
        {current.phoneNumber} <small className="muted">{current.appleId}</small>
      </h2>
      <p className="states">
        <StateBadge state={current.admin} testId="line-admin" />
        <StateBadge state={current.reputation} testId="line-reputation" />
        <StateBadge state={current.health} />
        {current.reputationReason && <span className="muted">reason: {current.reputationReason}</span>}
        <a href={`#/nodes/${current.nodeId}`}>node</a>
      </p>
      <p className="states">
        sent <UsageMeter used={current.usage.sent} limit={current.usage.cap} /> new contacts{' '}
        <UsageMeter used={current.usage.newContacts} limit={current.usage.newContactCap} /> ratio{' '}
        <RatioCell ratio={current.usage.ratio} max={current.effectiveLimits.maxRatio} /> · {current.contacts} contacts
      </p>
      <LineActions line={current} onDone={line.refresh} />
      <h3>Last 7 days</h3>
      <UsageCharts days={withToday(history.data?.days ?? [], current.usage)} maxRatio={current.effectiveLimits.maxRatio} />
      <div className="columns">
        <div>
          <h3>Recent messages</h3>
          <MessageTable page={recent.data} error={recent.error} />
          <h3>Recent errors</h3>
          <MessageTable page={failures.data} error={failures.error} />
        </div>
        <div>
          <h3>Contacts</h3>
          {contacts.error && <p className="error">{contacts.error}</p>}
          <ul className="plain">
            {contacts.data?.items.map((contact) => (
              <li key={contact.handle}>
                {contact.handle} <small className="muted">last in {contact.lastInboundAt ?? '–'}</small>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
