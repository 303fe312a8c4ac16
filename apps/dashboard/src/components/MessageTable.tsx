import type { Message, Page } from '../types.js';
import { StateBadge } from './StateBadge.js';

/** Messages without their bodies: the dashboard shows who, when and what happened. */
export function MessageTable({ page, error }: { page: Page<Message> | undefined; error: string | undefined }) {
  if (error) return <p className="error">{error}</p>;
  if (!page) return <p className="muted">Loading…</p>;
  if (page.items.length === 0) return <p className="muted">None.</p>;
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Created</th>
          <th>Direction</th>
          <th>Contact</th>
          <th>Status</th>
          <th>Line</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        {page.items.map((message) => (
          <tr key={message.id}>
            <td>{new Date(message.createdAt).toLocaleString()}</td>
            <td>{message.direction}</td>
            <td>{message.to}</td>
            <td>
              <StateBadge state={message.status} />
            </td>
            <td>{message.lineId ? <a href={`#/lines/${message.lineId}`}>{message.lineId.slice(0, 8)}</a> : '–'}</td>
            <td className="error">{message.error ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
