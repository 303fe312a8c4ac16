import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { OutboxEntry } from './outbox.handlers.js';
import type { Tx } from './outbox.writer.js';

interface Row {
  id: bigint;
  topic: string;
  payload: unknown;
  created_at: Date;
}

@Injectable()
export class OutboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Runs `work` over up to `limit` unclaimed rows (oldest first), locked for the length of
   * the transaction; SKIP LOCKED lets several relays share the table without waiting on
   * each other. Rows whose ids `work` returns are deleted in the same transaction.
   */
  async withClaimedBatch(limit: number, skip: bigint[], work: (entries: OutboxEntry[]) => Promise<bigint[]>): Promise<number> {
    return this.prisma.$transaction(
      async (tx: Tx) => {
        const rows = await tx.$queryRaw<Row[]>`
          SELECT id, topic, payload, created_at FROM outbox
          WHERE NOT (id = ANY(${skip}::bigint[]))
          ORDER BY id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return 0;
        const done = await work(rows.map((row) => ({ id: row.id, topic: row.topic, payload: row.payload, createdAt: row.created_at })));
        if (done.length > 0) await tx.$executeRaw`DELETE FROM outbox WHERE id = ANY(${done}::bigint[])`;
        return rows.length;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  }

  async count(): Promise<number> {
    return this.prisma.outboxEntry.count();
  }
}
