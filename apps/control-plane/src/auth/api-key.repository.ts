import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { Tx } from '../audit/audit.repository.js';

@Injectable()
export class ApiKeyRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByPrefix(prefix: string) {
    return this.prisma.apiKey.findUnique({ where: { prefix } });
  }

  findById(id: string) {
    return this.prisma.apiKey.findUnique({ where: { id } });
  }

  list() {
    return this.prisma.apiKey.findMany({ orderBy: { createdAt: 'asc' } });
  }

  create(data: { id: string; name: string; prefix: string; secretHash: string; scopes: string[] }, tx: Tx = this.prisma) {
    return tx.apiKey.create({ data });
  }

  /** Bootstrap key from the environment: create or bring back to admin, idempotently. */
  upsertBootstrap(data: { id: string; name: string; prefix: string; secretHash: string; scopes: string[] }) {
    return this.prisma.apiKey.upsert({
      where: { prefix: data.prefix },
      create: data,
      update: { secretHash: data.secretHash, scopes: data.scopes, revokedAt: null },
    });
  }

  revoke(id: string, at: Date, tx: Tx = this.prisma) {
    return tx.apiKey.update({ where: { id }, data: { revokedAt: at } });
  }

  touch(id: string, at: Date) {
    return this.prisma.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
  }
}
