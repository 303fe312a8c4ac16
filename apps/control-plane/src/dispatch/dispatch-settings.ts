import { Injectable } from '@nestjs/common';
import { DEFAULT_FLEET_SETTINGS, FleetSettings } from '@bridgefleet/contracts/fleet-settings.schema.js';
import { PrismaService } from '../database/prisma.service.js';

// Settings change rarely and the dispatcher reads them per line; a short cache
// keeps that off the database without making a PATCH take long to apply.
const CACHE_MS = 2_000;

/** The fleet settings as the dispatch path sees them (read-through, briefly cached). */
@Injectable()
export class DispatchSettings {
  private cached: { at: number; value: FleetSettings } | undefined;

  constructor(private readonly prisma: PrismaService) {}

  async current(): Promise<FleetSettings> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.value;
    const row = await this.prisma.fleetSettings.findUnique({ where: { id: 1 } });
    const parsed = row ? FleetSettings.safeParse(row.settings) : undefined;
    const value = parsed?.success ? parsed.data : DEFAULT_FLEET_SETTINGS;
    this.cached = { at: Date.now(), value };
    return value;
  }
}
