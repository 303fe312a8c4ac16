import { Injectable } from '@nestjs/common';
import type { Prisma } from '@bridgefleet/db/generated/client.js';
import type { Tx } from '../audit/audit.repository.js';
import { PrismaService } from '../database/prisma.service.js';

const SINGLETON_ID = 1;

@Injectable()
export class FleetSettingsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The settings row, created with `defaults` when absent. INSERT … ON CONFLICT DO NOTHING
   * is atomic where Prisma's upsert is not (two first readers would both try to create).
   */
  async getOrCreate(defaults: Prisma.InputJsonValue, tx: Tx = this.prisma): Promise<unknown> {
    const existing = await tx.fleetSettings.findUnique({ where: { id: SINGLETON_ID } });
    if (existing) return existing.settings;
    await tx.$executeRaw`
      INSERT INTO fleet_settings (id, settings, updated_at)
      VALUES (${SINGLETON_ID}, ${JSON.stringify(defaults)}::jsonb, now())
      ON CONFLICT (id) DO NOTHING`;
    const row = await tx.fleetSettings.findUniqueOrThrow({ where: { id: SINGLETON_ID } });
    return row.settings;
  }

  /** Reads the row locked for the rest of the transaction, so concurrent PATCHes merge in turn. */
  async lockForUpdate(tx: Tx): Promise<void> {
    await tx.$queryRaw`SELECT id FROM fleet_settings WHERE id = ${SINGLETON_ID} FOR UPDATE`;
  }

  async save(settings: Prisma.InputJsonValue, tx: Tx): Promise<void> {
    await tx.fleetSettings.update({ where: { id: SINGLETON_ID }, data: { settings } });
  }
}
