import { Inject, Injectable } from '@nestjs/common';
import type { HealthSettings } from '@bridgefleet/contracts/fleet-settings.schema.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { FleetSettingsService } from '../settings/fleet-settings.service.js';

export interface EffectiveHealthSettings {
  /** The fleet's health settings, pollIntervalSeconds replaced by the effective interval. */
  settings: HealthSettings;
  intervalMs: number;
}

/** The fleet's health settings (changeable at run time via PATCH /v1/fleet/settings) with the process's interval override. */
@Injectable()
export class HealthSettingsSource {
  constructor(
    private readonly fleet: FleetSettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(): Promise<EffectiveHealthSettings> {
    const { health } = await this.fleet.get();
    const intervalMs = this.config.HEALTH_POLL_INTERVAL_MS ?? health.pollIntervalSeconds * 1_000;
    return { settings: { ...health, pollIntervalSeconds: intervalMs / 1_000 }, intervalMs };
  }
}
