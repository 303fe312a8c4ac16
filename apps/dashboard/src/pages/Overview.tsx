import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import { get, query } from '../api.js';
import { ADMIN_STATES, HEALTH_STATES, Pager, REPUTATION_STATES, Select } from '../components/Filters.js';
import { StateBadge } from '../components/StateBadge.js';
import { FleetTotals } from '../components/FleetTotals.js';
import { RatioCell, UsageMeter } from '../components/UsageMeter.js';
import { usePoll } from '../hooks.js';
import type { Line, Page, Summary } from '../types.js';

const PAGE_SIZE = 200;
const ROW_HEIGHT = 36;

/** The pool: every line with its states and today's usage, filtered and paged on the server. */
export function Overview() {
  const [filters, setFilters] = useState({ admin: '', reputation: '', health: '' });
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const lines = usePoll(
    () => get<Page<Line>>(`/v1/lines${query({ ...filters, limit: PAGE_SIZE, cursor })}`),
    JSON.stringify([filters, cursor]),
  );
  const summary = usePoll(() => get<Summary>('/v1/dashboard/summary'), 'summary');
  const setFilter = (name: keyof typeof filters) => (value: string) => {
    setFilters({ ...filters, [name]: value });
    setCursors([]);
  };
  const items = lines.data?.items ?? [];

  return (
    <section>
      <FleetTotals summary={summary.data} lines={items} />
      <div className="toolbar">
        <Select label="Admin" value={filters.admin} options={ADMIN_STATES} onChange={setFilter('admin')} />
        <Select label="Reputation" value={filters.reputation} options={REPUTATION_STATES} onChange={setFilter('reputation')} />
        <Select label="Health" value={filters.health} options={HEALTH_STATES} onChange={setFilter('health')} />
        <Pager cursors={cursors} next={lines.data?.nextCursor ?? null} onChange={setCursors} />
        <span className="muted">{items.length} lines on this page</span>
      </div>
      {lines.error && <p className="error">{lines.error}</p>}
      <LineTable lines={items} waiting={summary.data?.waitingByLine ?? {}} />
    </section>
  );
}

const COLUMNS = ['Line', 'Admin', 'Reputation', 'Health', 'Sent today', 'New contacts', 'Ratio', 'Contacts', 'Waiting'];

/** Only the rows in view are in the DOM, so a 500-line page scrolls as smoothly as 5. */
function LineTable({ lines, waiting }: { lines: Line[]; waiting: Record<string, number> }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });
  return (
    <div className="grid" role="table" aria-label="Lines">
      <div className="grid-row grid-head" role="row">
        {COLUMNS.map((column) => (
          <span key={column} role="columnheader">
            {column}
          </span>
        ))}
      </div>
      <div ref={scroller} className="grid-body">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((row) => {
            const line = lines[row.index]!;
            return (
              <div
                key={line.id}
                className="grid-row"
                role="row"
                data-testid={`line-row-${line.id}`}
                style={{ position: 'absolute', top: row.start, height: ROW_HEIGHT, width: '100%' }}
              >
                <a href={`#/lines/${line.id}`}>{line.phoneNumber}</a>
                <StateBadge state={line.admin} testId="admin" />
                <StateBadge state={line.reputation} />
                <StateBadge state={line.health} />
                <UsageMeter used={line.usage.sent} limit={line.usage.cap} testId="sent" />
                <UsageMeter used={line.usage.newContacts} limit={line.usage.newContactCap} />
                <RatioCell ratio={line.usage.ratio} max={line.effectiveLimits.maxRatio} />
                <span>{line.contacts}</span>
                <span data-testid="waiting">{waiting[line.id] ?? 0}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
