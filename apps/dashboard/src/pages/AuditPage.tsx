import { useState } from 'react';
import { get, query } from '../api.js';
import { Pager } from '../components/Filters.js';
import { usePoll } from '../hooks.js';
import type { AuditEvent, Page } from '../types.js';

/** Who did what, when and why (GET /v1/audit needs an admin key). */
export function AuditPage() {
  const [draft, setDraft] = useState({ targetType: '', action: '', actor: '' });
  const [filters, setFilters] = useState(draft);
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const events = usePoll(
    () => get<Page<AuditEvent>>(`/v1/audit${query({ ...filters, limit: 100, cursor })}`),
    JSON.stringify([filters, cursor]),
  );
  return (
    <section>
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          setFilters(draft);
          setCursors([]);
        }}
      >
        {(['targetType', 'action', 'actor'] as const).map((name) => (
          <input
            key={name}
            placeholder={name}
            value={draft[name]}
            onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
          />
        ))}
        <button type="submit">Filter</button>
        <Pager cursors={cursors} next={events.data?.nextCursor ?? null} onChange={setCursors} />
      </form>
      {events.error && <p className="error">{events.error}</p>}
      <table className="table" data-testid="audit-table">
        <thead>
          <tr>
            <th>At</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Target</th>
            <th>Reason</th>
            <th>Result</th>
          </tr>
        </thead>
        <tbody>
          {events.data?.items.map((event) => (
            <tr key={event.id}>
              <td>{new Date(event.at).toLocaleString()}</td>
              <td>{event.actor}</td>
              <td>{event.action}</td>
              <td>
                {event.targetType} {event.targetId?.slice(0, 8)}
              </td>
              <td>{event.reason}</td>
              <td>{event.result}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
