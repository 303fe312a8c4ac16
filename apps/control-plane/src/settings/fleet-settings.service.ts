import { Injectable, Logger } from '@nestjs/common';
import {
  DEFAULT_FLEET_SETTINGS,
  FleetSettings,
  mergeFleetSettings,
  type FleetSettingsPatch,
} from '@bridgefleet/contracts/fleet-settings.schema.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/principal.js';
import { PrismaService } from '../database/prisma.service.js';
import { FleetSettingsRepository } from './fleet-settings.repository.js';

// Workers read the settings on hot paths; a short cache spares a query per message while a
// change made on another replica still lands within seconds. Local writes refresh it at once.
const CACHE_MS = 2_000;

/** The fleet-wide defaults (limits, time zone, day reset, health, remediation). Inject it anywhere. */
@Injectable()
export class FleetSettingsService {
  private readonly logger = new Logger('fleet-settings');
  private cached?: { value: FleetSettings; at: number };

  constructor(
    private readonly settings: FleetSettingsRepository,
    private readonly audit: AuditRepository,
    private readonly prisma: PrismaService,
  ) {}

  async get(): Promise<FleetSettings> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.value;
    return this.remember(this.parse(await this.settings.getOrCreate(DEFAULT_FLEET_SETTINGS)));
  }

  async update(patch: FleetSettingsPatch, by: Principal): Promise<FleetSettings> {
    const next = await this.prisma.$transaction(async (tx) => {
      await this.settings.getOrCreate(DEFAULT_FLEET_SETTINGS, tx);
      await this.settings.lockForUpdate(tx);
      const before = this.parse(await this.settings.getOrCreate(DEFAULT_FLEET_SETTINGS, tx));
      const after = FleetSettings.parse(mergeFleetSettings(before, patch));
      await this.settings.save(after, tx);
      await this.audit.record(
        { actor: by.actor, action: 'fleet.settings.update', targetType: 'fleet_settings', targetId: '1', detail: { patch, before, after } },
        tx,
      );
      return after;
    });
    return this.remember(next);
  }

  /** A stored document that no longer validates (an older schema) is repaired over the defaults. */
  private parse(stored: unknown): FleetSettings {
    const parsed = FleetSettings.safeParse(stored);
    if (parsed.success) return parsed.data;
    this.logger.warn('stored fleet settings do not validate; filling gaps from the defaults');
    const repaired = FleetSettings.safeParse(mergeFleetSettings(DEFAULT_FLEET_SETTINGS, (stored ?? {}) as FleetSettingsPatch));
    return repaired.success ? repaired.data : DEFAULT_FLEET_SETTINGS;
  }

  private remember(value: FleetSettings): FleetSettings {
    this.cached = { value, at: Date.now() };
    return value;
  }
}
