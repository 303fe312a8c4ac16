import type { RemediationFinished, RemediationRunView } from '@bridgefleet/contracts/remediation.schema.js';
import type { RemediationRunRow } from './remediation.repository.js';

export function toRunView(row: RemediationRunRow): RemediationRunView {
  return {
    id: row.id,
    nodeId: row.nodeId,
    runbook: row.runbook,
    arguments: row.arguments as Record<string, string>,
    reason: row.reason,
    requestedBy: row.requestedBy,
    automatic: row.automatic,
    status: row.status,
    exitCode: row.exitCode,
    output: row.output,
    steps: row.steps as RemediationRunView['steps'],
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export function toFinishedEvent(row: RemediationRunRow): RemediationFinished {
  const finishedAt = row.finishedAt ?? new Date();
  return {
    runId: row.id,
    nodeId: row.nodeId,
    runbook: row.runbook,
    status: row.status as RemediationFinished['status'],
    exitCode: row.exitCode,
    reason: row.reason,
    requestedBy: row.requestedBy,
    automatic: row.automatic,
    error: row.error,
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: finishedAt.toISOString(),
    durationMs: row.startedAt ? finishedAt.getTime() - row.startedAt.getTime() : 0,
  };
}
