import { Injectable } from '@nestjs/common';
import type { Prisma } from '@bridgefleet/db/generated/client.js';
import { PrismaService } from '../database/prisma.service.js';

export interface AuditEntry {
  actor: string;
  action: string;
  targetType: string;
  targetId?: string | null;
  reason?: string | null;
  result?: string;
  detail?: Prisma.InputJsonValue;
}

export type Tx = Prisma.TransactionClient;

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Record inside the caller's transaction, so a write and its audit event commit together. */
  async record(entry: AuditEntry, tx: Tx = this.prisma): Promise<void> {
    await tx.auditEvent.create({
      data: {
        actor: entry.actor,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId ?? null,
        reason: entry.reason ?? null,
        result: entry.result ?? 'ok',
        ...(entry.detail === undefined ? {} : { detail: entry.detail }),
      },
    });
  }

  async list(filter: { limit: number; cursor?: bigint; targetType?: string; targetId?: string; action?: string; actor?: string }) {
    return this.prisma.auditEvent.findMany({
      where: {
        ...(filter.cursor === undefined ? {} : { id: { lt: filter.cursor } }),
        ...(filter.targetType ? { targetType: filter.targetType } : {}),
        ...(filter.targetId ? { targetId: filter.targetId } : {}),
        ...(filter.action ? { action: filter.action } : {}),
        ...(filter.actor ? { actor: filter.actor } : {}),
      },
      orderBy: { id: 'desc' },
      take: filter.limit + 1,
    });
  }
}
