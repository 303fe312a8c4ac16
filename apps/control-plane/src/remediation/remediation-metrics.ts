import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service.js';
import { RemediationEvents } from './remediation-events.js';

/**
 * Remediation runs by result, runbook and trigger. Runbook names come from the
 * allowlist (a handful), results and triggers are closed sets: the series count is bounded.
 */
@Injectable()
export class RemediationMetrics {
  constructor(metrics: MetricsService, events: RemediationEvents) {
    const runs = new Counter({
      name: 'bridgefleet_remediation_runs_total',
      help: 'Finished remediation runs by result (succeeded, failed, timed_out), runbook and trigger (manual, automatic).',
      labelNames: ['result', 'runbook', 'trigger'] as const,
      registers: [metrics.registry],
    });
    const duration = new Histogram({
      name: 'bridgefleet_remediation_run_duration_seconds',
      help: 'Duration of finished remediation runs.',
      buckets: [1, 5, 15, 30, 60, 120, 300, 600],
      registers: [metrics.registry],
    });
    events.subscribe((event) => {
      runs.inc({ result: event.status, runbook: event.runbook, trigger: event.automatic ? 'automatic' : 'manual' });
      duration.observe(event.durationMs / 1000);
    });
  }
}
