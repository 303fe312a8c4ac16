import { Injectable } from '@nestjs/common';
import type { DirectRunRecordBody } from '@bridgefleet/contracts/direct-run.schema.js';
import type { RemediationRunView } from '@bridgefleet/contracts/remediation.schema.js';
import type { Prisma } from '@bridgefleet/db/generated/client.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { Conflict, NotFound } from '../http/problems.js';
import { RemediationRepository } from './remediation.repository.js';
import { toRunView } from './run-view.js';

/**
 * Records a break-glass run after the fact: it already happened on the Mac, so it is
 * stored as finished (it never takes the node's one-active-run lock) and audited as
 * `remediation.direct`. The client's run id makes a retried report a no-op.
 */
@Injectable()
export class DirectRunRecorder {
  constructor(
    private readonly runs: RemediationRepository,
    private readonly audit: AuditRepository,
  ) {}

  async record(body: DirectRunRecordBody, actor: string): Promise<{ created: boolean; run: RemediationRunView }> {
    const existing = await this.runs.findById(body.id);
    if (existing) {
      if (existing.nodeId !== body.nodeId || existing.runbook !== body.runbook) {
        throw new Conflict(`Run ${body.id} was already recorded for another node or runbook.`);
      }
      return { created: false, run: toRunView(existing) };
    }
    if (!(await this.runs.findNodeTarget(body.nodeId))) throw new NotFound('Node', body.nodeId);
    const requestedBy = `${actor} (break-glass)`;
    const row = await this.runs.transaction(async (tx) => {
      const created = await this.runs.create(
        {
          id: body.id,
          nodeId: body.nodeId,
          runbook: body.runbook,
          arguments: body.arguments ?? {},
          reason: body.reason,
          requestedBy,
          automatic: false,
          status: body.status,
          exitCode: body.exitCode,
          steps: body.steps as unknown as Prisma.InputJsonValue,
          output: body.output,
          error: body.error,
          startedAt: new Date(body.startedAt),
          finishedAt: new Date(body.finishedAt),
          createdAt: new Date(body.startedAt),
        },
        tx,
      );
      await this.audit.record(
        {
          actor: requestedBy,
          action: 'remediation.direct',
          targetType: 'node',
          targetId: body.nodeId,
          reason: body.reason,
          result: body.status,
          detail: {
            runId: body.id,
            runbook: body.runbook,
            arguments: body.arguments ?? {},
            exitCode: body.exitCode,
            error: body.error,
            operator: body.operator,
            startedAt: body.startedAt,
            finishedAt: body.finishedAt,
          },
        },
        tx,
      );
      return created;
    });
    return { created: true, run: toRunView(row) };
  }
}
