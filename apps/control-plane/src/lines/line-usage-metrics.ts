import { Inject, Injectable } from '@nestjs/common';
import { effectiveLimits } from '@bridgefleet/contracts/limits.schema.js';
import { governorDay } from '@bridgefleet/policy/governor-day.js';
import { Gauge } from 'prom-client';
import { CLOCK, type Clock } from '../clock/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { FleetSettingsService } from '../settings/fleet-settings.service.js';
import { LineInsightsRepository } from './line-insights.repository.js';
import { storedOverrides } from './line-view.builder.js';

// "Near the cap" for the fleet-wide count and the alert: 90 % of the day's outbound cap.
const NEAR_CAP = 0.9;
// One scrape reads PostgreSQL once, however many gauges ask.
const SNAPSHOT_TTL_MS = 1_000;

interface LineUsageSample {
  line: string;
  sent: number;
  cap: number;
  newContacts: number;
  newContactCap: number;
  ratio: number | null;
  maxRatio: number;
}

interface Snapshot {
  top: LineUsageSample[];
  nearCap: number;
  atCap: number;
  overRatio: number;
  states: { admin: string; reputation: string; count: number }[];
}

/**
 * Line usage on /metrics. Fleet-wide counts always; per-line series (label `line`, the
 * phone number) only for the METRICS_PER_LINE_LIMIT lines nearest their daily cap, so
 * 10,000 lines never make 10,000 × 6 series. Today's figures come from line_daily_usage.
 */
@Injectable()
export class LineUsageMetrics {
  private cached?: { at: number; value: Promise<Snapshot> };

  constructor(
    metrics: MetricsService,
    private readonly insights: LineInsightsRepository,
    private readonly settings: FleetSettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const registers = [metrics.registry];
    const snapshot = () => this.snapshot();
    const perLine = (name: string, help: string, pick: (sample: LineUsageSample) => number | null) =>
      new Gauge({
        name,
        help: `${help} Only for the lines nearest their cap (METRICS_PER_LINE_LIMIT).`,
        labelNames: ['line'] as const,
        registers,
        async collect() {
          const { top } = await snapshot();
          this.reset();
          for (const sample of top) {
            const value = pick(sample);
            if (value !== null) this.set({ line: sample.line }, value);
          }
        },
      });
    perLine('bridgefleet_line_sent_today', 'Outbound messages sent today by the line.', (sample) => sample.sent);
    perLine('bridgefleet_line_daily_cap', "The line's daily outbound cap.", (sample) => sample.cap);
    perLine('bridgefleet_line_cap_used_ratio', 'Share of the daily cap used today (1 = at the cap).', (sample) =>
      sample.cap > 0 ? sample.sent / sample.cap : 1,
    );
    perLine('bridgefleet_line_new_contacts_today', 'New contacts the line wrote to today.', (sample) => sample.newContacts);
    perLine('bridgefleet_line_new_contact_cap', "The line's daily new-contact cap.", (sample) => sample.newContactCap);
    perLine('bridgefleet_line_send_ratio', 'Outbound per inbound today (absent before any inbound).', (sample) => sample.ratio);
    perLine('bridgefleet_line_max_ratio', "The line's send:receive limit.", (sample) => sample.maxRatio);

    const fleetCount = (name: string, help: string, pick: (value: Snapshot) => number) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          this.set(pick(await snapshot()));
        },
      });
    fleetCount('bridgefleet_lines_near_cap', `Lines at or above ${NEAR_CAP * 100} % of their daily cap today.`, (value) => value.nearCap);
    fleetCount('bridgefleet_lines_at_cap', 'Lines that reached their daily cap today.', (value) => value.atCap);
    fleetCount('bridgefleet_lines_over_ratio', 'Lines whose outbound per inbound today is over their limit.', (value) => value.overRatio);
    new Gauge({
      name: 'bridgefleet_lines',
      help: 'Lines by admin state and reputation (at most 25 series).',
      labelNames: ['admin', 'reputation'] as const,
      registers,
      async collect() {
        const { states } = await snapshot();
        this.reset();
        for (const state of states) this.set({ admin: state.admin, reputation: state.reputation }, state.count);
      },
    });
  }

  private snapshot(): Promise<Snapshot> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > SNAPSHOT_TTL_MS) {
      const value = this.read();
      // A failed read is not kept: the next scrape tries again.
      value.catch(() => (this.cached = undefined));
      this.cached = { at: now, value };
    }
    return this.cached.value;
  }

  private async read(): Promise<Snapshot> {
    const fleet = await this.settings.get();
    const day = governorDay(this.clock.now(), fleet.timeZone, fleet.dayResetTime);
    const [rows, states] = await Promise.all([this.insights.activeOn(day), this.insights.stateCounts()]);
    const samples = rows.map((row): LineUsageSample => {
      const limits = effectiveLimits(fleet.limits, storedOverrides(row.line.limits));
      return {
        line: row.line.phoneNumber,
        sent: row.sent,
        cap: limits.dailyCap,
        newContacts: row.newContacts,
        newContactCap: limits.dailyNewContacts,
        ratio: row.inbound > 0 ? row.sent / row.inbound : null,
        maxRatio: limits.maxRatio,
      };
    });
    const used = (sample: LineUsageSample) => (sample.cap > 0 ? sample.sent / sample.cap : 1);
    samples.sort((a, b) => used(b) - used(a));
    return {
      top: samples.slice(0, this.config.METRICS_PER_LINE_LIMIT),
      nearCap: samples.filter((sample) => used(sample) >= NEAR_CAP).length,
      atCap: samples.filter((sample) => used(sample) >= 1).length,
      overRatio: samples.filter((sample) => sample.ratio !== null && sample.ratio > sample.maxRatio).length,
      states: states.map((state) => ({ admin: state.admin, reputation: state.reputation, count: state._count._all })),
    };
  }
}
