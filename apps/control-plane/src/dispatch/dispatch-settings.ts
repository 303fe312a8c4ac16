import { Injectable } from '@nestjs/common';
import type { FleetSettings } from '@bridgefleet/contracts/fleet-settings.schema.js';
import { FleetSettingsService } from '../settings/fleet-settings.service.js';

/** The fleet settings as the dispatch path sees them (FleetSettingsService's short cache). */
@Injectable()
export class DispatchSettings {
  constructor(private readonly fleet: FleetSettingsService) {}

  current(): Promise<FleetSettings> {
    return this.fleet.get();
  }
}
