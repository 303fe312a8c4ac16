import { Controller, Get, Patch } from '@nestjs/common';
import { FleetSettings, FleetSettingsPatch } from '@bridgefleet/contracts/fleet-settings.schema.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { ValidBody } from '../http/validated.decorator.js';
import { FleetSettingsService } from './fleet-settings.service.js';

@Controller('v1/fleet/settings')
export class FleetSettingsController {
  constructor(private readonly settings: FleetSettingsService) {}

  @Get()
  @Endpoint({
    scope: 'fleet:read',
    tag: 'fleet',
    summary: 'Fleet settings: default limits, time zone, day reset, health, remediation',
    response: FleetSettings,
  })
  get() {
    return this.settings.get();
  }

  @Patch()
  @Endpoint({
    scope: 'fleet:write',
    tag: 'fleet',
    summary: 'Change fleet settings (nested objects are merged field by field)',
    body: FleetSettingsPatch,
    response: FleetSettings,
  })
  update(@ValidBody() patch: FleetSettingsPatch, @CurrentPrincipal() principal: Principal) {
    return this.settings.update(patch, principal);
  }
}
