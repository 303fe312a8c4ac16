import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { HEALTH_STATES, type HealthState } from '@bridgefleet/policy/line-lifecycle.js';
import { MetricsService } from '../metrics/metrics.service.js';

export type ProbeResult = 'ok' | 'invalid' | 'http_error' | 'timeout' | 'unreachable';

/**
 * Health metrics. Node states are exported as fleet-wide counts (one series per
 * state), never one series per node: 10,000 nodes would be 40,000 series.
 */
@Injectable()
export class HealthMetrics {
  private readonly stateCounts: Gauge<'state'>;
  readonly probeDuration: Histogram;
  readonly probes: Counter<'result'>;
  readonly stormActive: Gauge;

  constructor(@Inject(MetricsService) metrics: MetricsService) {
    const registers = [metrics.registry];
    this.stateCounts = new Gauge({
      name: 'bridgefleet_node_health_state',
      help: 'Number of nodes in each health state.',
      labelNames: ['state'] as const,
      registers,
    });

    this.probeDuration = new Histogram({
      name: 'bridgefleet_health_probe_duration_seconds',
      help: 'Duration of health probes to node agents (GET /health), answered or not.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });

    this.probes = new Counter({
      name: 'bridgefleet_health_probes_total',
      help: 'Health probes by result: ok, invalid (report failed the schema), http_error, timeout, unreachable.',
      labelNames: ['result'] as const,
      registers,
    });

    this.stormActive = new Gauge({
      name: 'bridgefleet_storm_guard_active',
      help: '1 while the storm guard holds automatic actions frozen (most of the fleet went unreachable at once).',
      registers,
    });
  }

  setStateCounts(counts: Partial<Record<HealthState, number>>): void {
    for (const state of HEALTH_STATES) this.stateCounts.set({ state }, counts[state] ?? 0);
  }
}
