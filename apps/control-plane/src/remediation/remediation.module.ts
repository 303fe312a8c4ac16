import { Module } from '@nestjs/common';
import { DirectRunController } from './direct-run.controller.js';
import { DirectRunRecorder } from './direct-run.recorder.js';
import { RemediationController } from './remediation.controller.js';
import { RemediationEvents } from './remediation-events.js';
import { RemediationMetrics } from './remediation-metrics.js';
import { RemediationExecutor } from './remediation.executor.js';
import { RemediationRepository } from './remediation.repository.js';
import { RemediationService } from './remediation.service.js';
import { runbookCatalogProvider, RUNBOOK_CATALOG } from './runbook-catalog.provider.js';
import { SshCredentials } from './ssh-credentials.js';

@Module({
  controllers: [RemediationController, DirectRunController],
  providers: [
    runbookCatalogProvider,
    RemediationRepository,
    RemediationService,
    RemediationExecutor,
    RemediationEvents,
    RemediationMetrics,
    SshCredentials,
    DirectRunRecorder,
  ],
  // Auto-remediation requests runs through the service; the webhook sender subscribes to the events.
  exports: [RemediationService, RemediationEvents, RUNBOOK_CATALOG],
})
export class RemediationModule {}
