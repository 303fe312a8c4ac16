import { Global, Module } from '@nestjs/common';
import { FleetSettingsController } from './fleet-settings.controller.js';
import { FleetSettingsRepository } from './fleet-settings.repository.js';
import { FleetSettingsService } from './fleet-settings.service.js';

/** Global: the governor, poller and remediation read the fleet settings through FleetSettingsService. */
@Global()
@Module({
  controllers: [FleetSettingsController],
  providers: [FleetSettingsRepository, FleetSettingsService],
  exports: [FleetSettingsService],
})
export class FleetSettingsModule {}
