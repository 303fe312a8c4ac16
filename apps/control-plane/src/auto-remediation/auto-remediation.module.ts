import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module.js';
import { RemediationModule } from '../remediation/remediation.module.js';
import { AutoRemediationReconciler } from './auto-remediation.reconciler.js';
import { AutoRemediationRepository } from './auto-remediation.repository.js';

/** The escalation ladder: starts remediation runs by itself while a node is degraded or unreachable. */
@Module({
  imports: [HealthModule, RemediationModule],
  providers: [AutoRemediationRepository, AutoRemediationReconciler],
})
export class AutoRemediationModule {}
