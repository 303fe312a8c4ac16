import type { NodeView } from '@bridgefleet/contracts/fleet.schema.js';
import type { NodeRow } from './node.repository.js';

/** The API shape of a node. The agent token stays out, always. */
export function toNodeView(row: NodeRow): NodeView {
  const ssh =
    row.sshHost && row.sshPort && row.sshUser && row.hostKeyFingerprint
      ? { host: row.sshHost, port: row.sshPort, user: row.sshUser, hostKeyFingerprint: row.hostKeyFingerprint }
      : null;
  return {
    id: row.id,
    name: row.name,
    agentUrl: row.agentUrl,
    ssh,
    labels: (row.labels ?? {}) as Record<string, string>,
    health: {
      state: row.healthState,
      lastReport: row.lastReport ?? null,
      lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
      consecutiveFailures: row.consecutiveFailures,
      changedAt: row.healthChangedAt?.toISOString() ?? null,
    },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What an audit event keeps of a node: its view (so never the token). */
export function auditableNode(row: NodeRow) {
  const { health: _health, ...rest } = toNodeView(row);
  return rest;
}
