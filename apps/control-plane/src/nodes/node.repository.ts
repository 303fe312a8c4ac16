import { Injectable } from '@nestjs/common';
import type { HealthState, Prisma } from '@bridgefleet/db/generated/client.js';
import type { KeysetPosition } from '@bridgefleet/contracts/fleet.schema.js';
import type { Tx } from '../audit/audit.repository.js';
import { PrismaService } from '../database/prisma.service.js';

export type NodeRow = NonNullable<Awaited<ReturnType<NodeRepository['findById']>>>;

@Injectable()
export class NodeRepository {
  constructor(private readonly prisma: PrismaService) {}

  findById(id: string, tx: Tx = this.prisma) {
    return tx.node.findUnique({ where: { id } });
  }

  findByName(name: string, tx: Tx = this.prisma) {
    return tx.node.findUnique({ where: { name } });
  }

  /** Oldest first; one row more than asked so the caller knows whether another page exists. */
  list(filter: { limit: number; after?: KeysetPosition; health?: HealthState }) {
    return this.prisma.node.findMany({
      where: {
        ...(filter.health ? { healthState: filter.health } : {}),
        ...(filter.after
          ? {
              OR: [{ createdAt: { gt: filter.after.createdAt } }, { createdAt: filter.after.createdAt, id: { gt: filter.after.id } }],
            }
          : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: filter.limit + 1,
    });
  }

  create(data: Prisma.NodeUncheckedCreateInput, tx: Tx) {
    return tx.node.create({ data });
  }

  update(id: string, data: Prisma.NodeUncheckedUpdateInput, tx: Tx) {
    return tx.node.update({ where: { id }, data });
  }

  /** Locks the node row so no line can be added to it until the transaction ends. */
  async lock(id: string, tx: Tx): Promise<boolean> {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM nodes WHERE id = ${id}::uuid FOR UPDATE`;
    return rows.length > 0;
  }

  countLiveLines(nodeId: string, tx: Tx) {
    return tx.line.count({ where: { nodeId, admin: { not: 'retired' } } });
  }

  /** Retired lines go with their node; their messages keep their history without the line link. */
  async deleteWithRetiredLines(id: string, tx: Tx): Promise<void> {
    await tx.line.deleteMany({ where: { nodeId: id, admin: 'retired' } });
    await tx.node.delete({ where: { id } });
  }
}
