import { Injectable } from '@nestjs/common';
import { Prisma } from '@bridgefleet/db/generated/client.js';
import type { HealthState } from '@bridgefleet/policy/line-lifecycle.js';
import { AuditRepository } from '../audit/audit.repository.js';
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
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditRepository,
  ) {}

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

  /** A state change and its audit event commit together; false when the node was deleted meanwhile. */
  async recordChange(change: HealthChange): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const updated = await tx.node.updateMany({
        where: { id: change.nodeId },
        data: {
          healthState: change.state,
          healthChangedAt: change.checkedAt,
          lastCheckedAt: change.checkedAt,
          consecutiveFailures: change.consecutiveFailures,
          ...(change.report === undefined ? {} : { lastReport: change.report }),
        },
      });
      if (updated.count === 0) return false;
      await this.audit.record(
        {
          actor: HEALTH_ACTOR,
          action: 'node.health',
          targetType: 'node',
          targetId: change.nodeId,
          reason: change.reason,
          detail: { from: change.from, to: change.state, reason: change.reason, at: change.checkedAt.toISOString() },
        },
        tx,
      );
      return true;
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
    const reports = rows.map((row) => (row.report === undefined ? null : JSON.stringify(row.report)));
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
