import { useState } from 'react';
import { get, query } from '../api.js';
import { HEALTH_STATES, Pager, Select } from '../components/Filters.js';
import { StateBadge } from '../components/StateBadge.js';
import { usePoll } from '../hooks.js';
import type { FleetNode, Page } from '../types.js';

export function NodesPage() {
  const [health, setHealth] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const nodes = usePoll(() => get<Page<FleetNode>>(`/v1/nodes${query({ health, limit: 100, cursor })}`), `${health}|${cursor}`);
  return (
    <section>
      <div className="toolbar">
        <Select label="Health" value={health} options={HEALTH_STATES} onChange={(value) => (setHealth(value), setCursors([]))} />
        <Pager cursors={cursors} next={nodes.data?.nextCursor ?? null} onChange={setCursors} />
      </div>
      {nodes.error && <p className="error">{nodes.error}</p>}
      <table className="table">
        <thead>
          <tr>
            <th>Node</th>
            <th>Health</th>
            <th>Last checked</th>
            <th>Failures</th>
            <th>Agent</th>
          </tr>
        </thead>
        <tbody>
          {nodes.data?.items.map((node) => (
            <tr key={node.id}>
              <td>
                <a href={`#/nodes/${node.id}`}>{node.name}</a>
              </td>
              <td>
                <StateBadge state={node.health.state} />
              </td>
              <td>{node.health.lastCheckedAt ? new Date(node.health.lastCheckedAt).toLocaleTimeString() : 'never'}</td>
              <td>{node.health.consecutiveFailures}</td>
              <td className="muted">{node.agentUrl}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
