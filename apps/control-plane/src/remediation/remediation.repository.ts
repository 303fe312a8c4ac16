import { Injectable } from '@nestjs/common';
import type { Prisma, RemediationStatus } from '@bridgefleet/db/generated/client.js';
import type { Tx } from '../audit/audit.repository.js';
import { PrismaService } from '../database/prisma.service.js';

export type RemediationRunRow = NonNullable<Awaited<ReturnType<RemediationRepository['findById']>>>;

const ACTIVE: RemediationStatus[] = ['queued', 'running'];

export interface FinishedRun {
  status: 'succeeded' | 'failed' | 'timed_out';
  exitCode: number | null;
  steps: Prisma.InputJsonValue;
  output: string;
  error: string | null;
  finishedAt: Date;
}

@Injectable()
export class RemediationRepository {
  constructor(private readonly prisma: PrismaService) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(work);
  }

  findNodeTarget(nodeId: string) {
    return this.prisma.node.findUnique({
      where: { id: nodeId },
      select: { id: true, name: true, sshHost: true, sshPort: true, sshUser: true, hostKeyFingerprint: true },
    });
  }

  findById(id: string) {
    return this.prisma.remediationRun.findUnique({ where: { id } });
  }

  /** Newest first, keyset on (createdAt, id); one row more than asked to tell whether a next page exists. */
  listForNode(nodeId: string, limit: number, after?: { createdAt: Date; id: string }) {
    return this.prisma.remediationRun.findMany({
      where: {
        nodeId,
        ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
  }

  /** Fails with P2002 when the node already has a queued or running run (partial unique index). */
  create(data: Prisma.RemediationRunUncheckedCreateInput, tx: Tx) {
    return tx.remediationRun.create({ data });
  }

  /** queued → running; false when the run was no longer queued (another worker, or reaped). */
  async markRunning(id: string, startedAt: Date, tx: Tx): Promise<boolean> {
    const { count } = await tx.remediationRun.updateMany({ where: { id, status: 'queued' }, data: { status: 'running', startedAt } });
    return count === 1;
  }

  saveProgress(id: string, steps: Prisma.InputJsonValue, output: string) {
    return this.prisma.remediationRun.updateMany({ where: { id, status: 'running' }, data: { steps, output } });
  }

  /** Leaves the active states, which releases the node's lock. */
  async finish(id: string, result: FinishedRun, tx: Tx): Promise<boolean> {
    const { count } = await tx.remediationRun.updateMany({ where: { id, status: { in: ACTIVE } }, data: result });
    return count === 1;
  }

  /** Active runs created before `before`: their process must have died (every run is bounded by its timeout). */
  findAbandoned(nodeId: string, before: Date) {
    return this.prisma.remediationRun.findMany({ where: { nodeId, status: { in: ACTIVE }, createdAt: { lt: before } } });
  }
}
