import { Injectable } from '@nestjs/common';
import type { Prisma } from '@bridgefleet/db/generated/client.js';
import type { Tx } from '../audit/audit.repository.js';
import { PrismaService } from '../database/prisma.service.js';

const SINGLETON_ID = 1;

@Injectable()
export class FleetSettingsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The settings row, created with `defaults` when absent (safe when two callers race). */
  async getOrCreate(defaults: Prisma.InputJsonValue, tx: Tx = this.prisma): Promise<unknown> {
    const row = await tx.fleetSettings.upsert({
      where: { id: SINGLETON_ID },
      create: { id: SINGLETON_ID, settings: defaults },
      update: {},
    });
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
