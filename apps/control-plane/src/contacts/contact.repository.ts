import { Injectable } from '@nestjs/common';
import type { Tx } from '../audit/audit.repository.js';
import { PrismaService } from '../database/prisma.service.js';

export type ContactRow = NonNullable<Awaited<ReturnType<ContactRepository['findByHandle']>>>;

@Injectable()
export class ContactRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByHandle(handle: string, tx: Tx = this.prisma) {
    return tx.contact.findUnique({ where: { handle } });
  }

  /**
   * The line and its node's health, with the line row share-locked until the transaction ends,
   * so a concurrent retire or ban cannot slip in between the check and the pin.
   */
  async lockLineForPin(lineId: string, tx: Tx) {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM lines WHERE id = ${lineId}::uuid FOR SHARE`;
    if (locked.length === 0) return undefined;
    return tx.line.findUnique({
      where: { id: lineId },
      select: { id: true, admin: true, reputation: true, node: { select: { healthState: true } } },
    });
  }

  pin(handle: string, lineId: string, at: Date, tx: Tx) {
    return tx.contact.upsert({
      where: { handle },
      create: { handle, lineId, assignedAt: at },
      update: { lineId, assignedAt: at },
    });
  }
}
