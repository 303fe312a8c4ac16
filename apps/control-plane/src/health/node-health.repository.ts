import { Injectable } from '@nestjs/common';
import { Prisma } from '@bridgefleet/db/generated/client.js';
import type { HealthState } from '@bridgefleet/policy/line-lifecycle.js';
import { PrismaService } from '../database/prisma.service.js';

export interface PollTarget {
  id: string;
  agentUrl: string;
  agentToken: string;
  healthState: HealthState;
  consecutiveFailures: number;
}

/** What the poller writes on the node row; lastReport only when the probe brought one. */
export interface NodeHealthWrite {
  nodeId: string;
  state: HealthState;
  checkedAt: Date;
  consecutiveFailures: number;
  report?: Prisma.InputJsonValue;
}

export interface HealthChange extends NodeHealthWrite {
  from: HealthState;
  reason: string;
}

export const HEALTH_ACTOR = 'system:health-poller';

/** The node row's health columns (healthState, healthChangedAt, lastReport, lastCheckedAt, consecutiveFailures). */
@Injectable()
export class NodeHealthRepository {
  constructor(private readonly prisma: PrismaService) {}

  listPollTargets(): Promise<PollTarget[]> {
    return this.prisma.node.findMany({
      select: { id: true, agentUrl: true, agentToken: true, healthState: true, consecutiveFailures: true },
      orderBy: { id: 'asc' },
    });
  }

  async healthOf(nodeId: string): Promise<HealthState | null> {
    const row = await this.prisma.node.findUnique({ where: { id: nodeId }, select: { healthState: true } });
    return row?.healthState ?? null;
  }

  /**
   * State changes and their audit events commit together, many in one transaction:
   * a fleet coming up (or a network blip) changes thousands of nodes within seconds,
   * and one transaction per node would queue for the connection pool. Returns the ids
   * written (a node deleted meanwhile is skipped, and gets no audit event).
   */
  async recordChanges(changes: readonly HealthChange[]): Promise<Set<string>> {
    if (changes.length === 0) return new Set();
    return this.prisma.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<Array<{ id: string }>>`
        UPDATE nodes AS n
           SET health_state = u.state::"HealthState",
               health_changed_at = u.checked,
               last_checked_at = u.checked,
               consecutive_failures = u.failures,
               last_report = COALESCE(u.report::jsonb, n.last_report)
          FROM unnest(${changes.map((c) => c.nodeId)}::uuid[], ${changes.map((c) => c.state)}::text[],
                      ${changes.map((c) => c.checkedAt.toISOString())}::timestamptz[], ${changes.map((c) => c.consecutiveFailures)}::int[],
                      ${changes.map(reportJson)}::text[]) AS u(id, state, checked, failures, report)
         WHERE n.id = u.id
        RETURNING n.id::text AS id`;
      const written = new Set(rows.map((row) => row.id));
      // The audit log's batch form: same columns AuditRepository.record writes, one INSERT.
      await tx.auditEvent.createMany({
        data: changes
          .filter((change) => written.has(change.nodeId))
          .map((change) => ({
            actor: HEALTH_ACTOR,
            action: 'node.health',
            targetType: 'node',
            targetId: change.nodeId,
            reason: change.reason,
            result: 'ok',
            detail: { from: change.from, to: change.state, reason: change.reason, at: change.checkedAt.toISOString() },
          })),
      });
      return written;
    });
  }

  /**
   * Routine refreshes (no state change) for many nodes in one statement: at 10,000
   * nodes one UPDATE per probe would be 1,000 writes a second.
   */
  async writeRoutine(rows: readonly NodeHealthWrite[]): Promise<void> {
    if (rows.length === 0) return;
    const ids = rows.map((row) => row.nodeId);
    const checked = rows.map((row) => row.checkedAt.toISOString());
    const failures = rows.map((row) => row.consecutiveFailures);
    const reports = rows.map(reportJson);
    await this.prisma.$executeRaw`
      UPDATE nodes AS n
         SET last_checked_at = u.checked,
             consecutive_failures = u.failures,
             last_report = COALESCE(u.report::jsonb, n.last_report)
        FROM unnest(${ids}::uuid[], ${checked}::timestamptz[], ${failures}::int[], ${reports}::text[]) AS u(id, checked, failures, report)
       WHERE n.id = u.id`;
  }

  /** Fleet-wide counts per state, for the gauge and the storm guard. */
  async stateCounts(): Promise<Record<HealthState, number>> {
    const groups = await this.prisma.node.groupBy({ by: ['healthState'], _count: { _all: true } });
    const counts: Record<HealthState, number> = { healthy: 0, degraded: 0, unreachable: 0, unknown: 0 };
    for (const group of groups) counts[group.healthState] = group._count._all;
    return counts;
  }
}

function reportJson(row: NodeHealthWrite): string | null {
  return row.report === undefined ? null : JSON.stringify(row.report);
}
