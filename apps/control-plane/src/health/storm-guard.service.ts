import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { evaluateStorm, NO_STORM, type StormState } from '@bridgefleet/policy/health/storm-guard.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { ReadinessService } from '../ops/readiness.service.js';
import { RedisService } from '../redis/redis.service.js';
import { HealthMetrics } from './health-metrics.js';
import { HealthSettingsSource } from './health-settings.source.js';
import { HEALTH_ACTOR, NodeHealthRepository } from './node-health.repository.js';

/** Transitions older than this are dropped from Redis (the longest storm window allowed is 1 h). */
const KEEP_TRANSITIONS_MS = 3_600_000;
const EVALUATE_EVERY_MS = 1_000;

/**
 * Runs in every control-plane process (any role), so whatever process runs
 * auto-remediation can ask `isStormActive()` synchronously. Inputs are fleet-wide:
 * transitions to unreachable go to one Redis sorted set (whichever poller saw
 * them), counts come from PostgreSQL. The same evaluation also feeds the
 * node-state gauge.
 */
@Injectable()
export class StormGuardService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('storm-guard');
  private state: StormState = NO_STORM;
  private reason = 'not evaluated yet';
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly nodes: NodeHealthRepository,
    private readonly redis: RedisService,
    private readonly audit: AuditRepository,
    private readonly metrics: HealthMetrics,
    private readonly settingsSource: HealthSettingsSource,
    readiness: ReadinessService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    readiness.contribute('stormGuard', () => ({
      active: this.state.active,
      since: this.state.since === null ? null : new Date(this.state.since).toISOString(),
      automaticActions: this.state.active ? 'frozen' : 'allowed',
      reason: this.reason,
    }));
  }

  /** True while most of the fleet went unreachable at once: automatic actions must hold. */
  isStormActive(): boolean {
    return this.state.active;
  }

  async recordUnreachable(nodeIds: readonly string[], at: Date): Promise<void> {
    if (nodeIds.length === 0) return;
    const key = this.redis.key('health', 'unreachable-transitions');
    // One member per node: a node flapping in and out counts once, at its latest fall.
    const members = nodeIds.flatMap((id) => [at.getTime(), id]);
    await this.redis.client
      .multi()
      .zadd(key, ...members)
      .zremrangebyscore(key, '-inf', at.getTime() - KEEP_TRANSITIONS_MS)
      .exec();
  }

  async evaluate(): Promise<void> {
    const now = this.clock.now();
    const { settings } = await this.settingsSource.get();
    const counts = await this.nodes.stateCounts();
    this.metrics.setStateCounts(counts);
    await this.redis.connect();
    const since = now.getTime() - settings.stormWindowSeconds * 1_000;
    const scores = await this.redis.client.zrangebyscore(this.redis.key('health', 'unreachable-transitions'), since, '+inf', 'WITHSCORES');
    const transitions = scores.filter((_, index) => index % 2 === 1).map(Number);
    const fleetSize = Object.values(counts).reduce((sum, count) => sum + count, 0);
    const step = evaluateStorm(
      this.state,
      { unreachableTransitions: transitions, unreachableNow: counts.unreachable, fleetSize },
      settings,
      now,
    );
    this.state = step.state;
    this.reason = step.reason;
    this.metrics.stormActive.set(step.state.active ? 1 : 0);
    if (step.changed) await this.announce(step.state.active, step.reason);
  }

  /** Each process sees the change; the first to flip the shared flag writes the one audit event. */
  private async announce(active: boolean, reason: string): Promise<void> {
    const previous = await this.redis.client.getset(this.redis.key('health', 'storm'), active ? 'active' : 'clear');
    if ((previous ?? 'clear') === (active ? 'active' : 'clear')) return;
    this.logger.warn(active ? `storm guard engaged, automatic actions frozen: ${reason}` : `storm guard released: ${reason}`);
    await this.audit.record({
      actor: HEALTH_ACTOR,
      action: active ? 'health.storm.start' : 'health.storm.end',
      targetType: 'fleet',
      reason,
    });
  }

  onApplicationBootstrap(): void {
    const loop = () => {
      this.evaluate()
        .catch((error: unknown) => this.logger.warn(`storm guard evaluation failed: ${(error as Error).message}`))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(loop, EVALUATE_EVERY_MS).unref();
        });
    };
    this.timer = setTimeout(loop, 0).unref();
  }

  onModuleDestroy(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
