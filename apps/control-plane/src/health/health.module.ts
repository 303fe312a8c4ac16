import { Module } from '@nestjs/common';
import { AgentProber } from './agent-prober.js';
import { HealthEvents } from './health-events.js';
import { HealthMetrics } from './health-metrics.js';
import { HealthPollerService } from './health-poller.service.js';
import { HealthSettingsSource } from './health-settings.source.js';
import { NodeHealthRepository } from './node-health.repository.js';
import { NodeSendability } from './node-sendability.service.js';
import { ProbeLeaseRepository } from './probe-lease.repository.js';
import { StormGuardService } from './storm-guard.service.js';

/**
 * Node health: the poller (runs only with ROLES poller/all and HEALTH_POLLER_ENABLED),
 * the storm guard (every process), node.health events and line sendability.
 */
@Module({
  providers: [
    AgentProber,
    HealthEvents,
    HealthMetrics,
    HealthPollerService,
    HealthSettingsSource,
    NodeHealthRepository,
    NodeSendability,
    ProbeLeaseRepository,
    StormGuardService,
  ],
  exports: [HealthEvents, NodeSendability, StormGuardService],
})
export class HealthModule {}
