import { Injectable } from '@nestjs/common';
import type { Prisma } from '@bridgefleet/db/generated/client.js';
import { PrismaService } from '../database/prisma.service.js';

type Tx = Prisma.TransactionClient;

@Injectable()
export class IdempotencyRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * A transaction-scoped advisory lock on (api key, idempotency key). A second request
   * with the same key does not wait for the first: it learns at once that it is in flight.
   */
  async tryLock(tx: Tx, apiKeyId: string, key: string): Promise<boolean> {
    const [row] = await tx.$queryRaw<{ locked: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(hashtextextended(${`idempotency:${apiKeyId}:${key}`}, 0)) AS locked`;
    return row?.locked === true;
  }

  /** The live (unexpired) record for this key, if any. */
  findLive(tx: Tx, apiKeyId: string, key: string, now: Date) {
    return tx.idempotencyRecord.findFirst({ where: { apiKeyId, key, expiresAt: { gt: now } } });
  }

  /** Writes the record with its response; an expired record under the same key is overwritten. */
  async put(
    tx: Tx,
    record: {
      apiKeyId: string;
      key: string;
      requestHash: string;
      responseStatus: number;
      responseBody: Prisma.InputJsonValue;
      createdAt: Date;
      expiresAt: Date;
    },
  ): Promise<void> {
    const { apiKeyId, key, ...rest } = record;
    await tx.idempotencyRecord.upsert({ where: { apiKeyId_key: { apiKeyId, key } }, create: record, update: rest });
  }

  async purgeExpired(now: Date): Promise<number> {
    const { count } = await this.prisma.idempotencyRecord.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }
}
