import { useState } from 'react';
import { get, query } from '../api.js';
import { MESSAGE_STATUSES, Pager, Select } from '../components/Filters.js';
import { MessageTable } from '../components/MessageTable.js';
import { usePoll } from '../hooks.js';
import type { Message, Page } from '../types.js';

/** Message search by contact, line, status and direction (needs messages:read). */
export function MessagesPage() {
  const [draft, setDraft] = useState({ to: '', lineId: '' });
  const [filters, setFilters] = useState({ to: '', lineId: '', status: '', direction: '' });
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const messages = usePoll(
    () => get<Page<Message>>(`/v1/messages${query({ ...filters, limit: 100, cursor })}`),
    JSON.stringify([filters, cursor]),
  );
  const apply = (next: Partial<typeof filters>) => {
    setFilters({ ...filters, ...next });
    setCursors([]);
  };
  return (
    <section>
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          apply(draft);
        }}
      >
        <input
          placeholder="contact (+1415… or email)"
          value={draft.to}
          onChange={(event) => setDraft({ ...draft, to: event.target.value })}
        />
        <input placeholder="line id" value={draft.lineId} onChange={(event) => setDraft({ ...draft, lineId: event.target.value })} />
        <button type="submit">Search</button>
        <Select label="Status" value={filters.status} options={MESSAGE_STATUSES} onChange={(status) => apply({ status })} />
        <Select
          label="Direction"
          value={filters.direction}
          options={['outbound', 'inbound']}
          onChange={(direction) => apply({ direction })}
        />
        <Pager cursors={cursors} next={messages.data?.nextCursor ?? null} onChange={setCursors} />
      </form>
      <MessageTable page={messages.data} error={messages.error} />
    </section>
  );
}
