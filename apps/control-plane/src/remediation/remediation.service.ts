import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { RemediationListQuery, RemediationRunView, StartRemediationBody } from '@bridgefleet/contracts/remediation.schema.js';
import { InvalidRunbookArguments, RunbookNotFound, type RunbookPlan } from '@bridgefleet/runbooks/runbook.js';
import type { RunbookCatalog, RunbookSummary } from '@bridgefleet/runbooks/runbook-catalog.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { CLOCK, SystemClock, type Clock } from '../clock/clock.js';
import { Conflict, NotFound, ValidationFailed } from '../http/problems.js';
import { RemediationExecutor } from './remediation.executor.js';
import { RemediationRepository } from './remediation.repository.js';
import { RUNBOOK_CATALOG } from './runbook-catalog.provider.js';
import { toRunView } from './run-view.js';

/** Who asked: an API key's actor, or `system:<component>` for automatic remediation. */
export interface Requester {
  actor: string;
  automatic?: boolean;
}

function isUniqueViolation(error: unknown): boolean {
  const candidate = error as { code?: string; cause?: { code?: string } };
  return candidate?.code === 'P2002' || candidate?.cause?.code === '23505';
}

@Injectable()
export class RemediationService {
  private readonly clock: Clock;

  constructor(
    @Inject(RUNBOOK_CATALOG) private readonly catalog: RunbookCatalog,
    private readonly runs: RemediationRepository,
    private readonly audit: AuditRepository,
    private readonly executor: RemediationExecutor,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.clock = clock ?? new SystemClock();
  }

  runbooks(): RunbookSummary[] {
    return this.catalog.list();
  }

  /**
   * Queues a run. Order matters: the runbook and its arguments are checked against the
   * allowlist first (400), before the node is even looked up, so a bad request never
   * gets near SSH; the database then admits at most one active run per node (409).
   */
  async request(nodeId: string, body: StartRemediationBody, requester: Requester): Promise<RemediationRunView> {
    const plan = this.plan(body.runbook, body.arguments ?? {});
    const node = await this.runs.findNodeTarget(nodeId);
    if (!node) throw new NotFound('Node', nodeId);
    if (!node.sshHost || !node.sshPort || !node.sshUser || !node.hostKeyFingerprint) {
      throw new Conflict(
        `Node ${node.name} has no SSH target (host, port, user, pinned host key): set one with PATCH /v1/nodes/${nodeId} first.`,
      );
    }
    await this.executor.reapAbandoned(nodeId);
    try {
      const run = await this.runs.transaction(async (tx) => {
        const created = await this.runs.create(
          {
            id: randomUUID(),
            nodeId,
            runbook: plan.runbook,
            arguments: plan.arguments,
            reason: body.reason,
            requestedBy: requester.actor,
            automatic: requester.automatic ?? false,
            status: 'queued',
            createdAt: this.clock.now(),
          },
          tx,
        );
        await this.audit.record(
          {
            actor: requester.actor,
            action: 'remediation.request',
            targetType: 'node',
            targetId: nodeId,
            reason: body.reason,
            detail: { runId: created.id, runbook: plan.runbook, arguments: plan.arguments, automatic: requester.automatic ?? false },
          },
          tx,
        );
        return created;
      });
      this.executor.enqueue(run.id);
      return toRunView(run);
    } catch (error) {
      if (isUniqueViolation(error))
        throw new Conflict(`A remediation is already queued or running on node ${node.name}; wait for it to finish.`);
      throw error;
    }
  }

  async get(id: string): Promise<RemediationRunView> {
    const run = await this.runs.findById(id);
    if (!run) throw new NotFound('Remediation', id);
    return toRunView(run);
  }

  async listForNode(nodeId: string, query: RemediationListQuery) {
    if (!(await this.runs.findNodeTarget(nodeId))) throw new NotFound('Node', nodeId);
    const rows = await this.runs.listForNode(nodeId, query.limit, decodeCursor(query.cursor));
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > query.limit && last ? Buffer.from(`${last.createdAt.toISOString()}|${last.id}`).toString('base64url') : null;
    return { items: page.map(toRunView), nextCursor };
  }

  private plan(runbook: string, args: unknown): RunbookPlan {
    try {
      return this.catalog.plan(runbook, args);
    } catch (error) {
      if (error instanceof RunbookNotFound) {
        throw new ValidationFailed([{ path: 'body.runbook', message: `not in the allowlist (${this.catalog.names().join(', ')})` }]);
      }
      if (error instanceof InvalidRunbookArguments) {
        throw new ValidationFailed(error.errors.map((e) => ({ path: `body.${e.path}`, message: e.message })));
      }
      throw error;
    }
  }
}

function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new ValidationFailed([{ path: 'query.cursor', message: 'must be a cursor from a previous page' }]);
  }
  return { createdAt, id };
}
