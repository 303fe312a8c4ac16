import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { effectiveLimits } from '@bridgefleet/contracts/limits.schema.js';
import type { FleetSettings } from '@bridgefleet/contracts/fleet-settings.schema.js';
import { governorDaysBetween } from '@bridgefleet/policy/governor/day-window.js';
import { DEFAULT_GOVERNOR_TUNING } from '@bridgefleet/policy/governor/governor-tuning.js';
import type { Principal } from '../auth/principal.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { ReconcileLoop } from '../reconcile/reconcile-loop.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { runsRole } from '../config/roles.js';
import { GovernorService } from '../governor/governor.service.js';
import { InvalidTransition } from '../http/problems.js';
import { storedOverrides } from '../lines/line-view.builder.js';
import { LineLifecycleService } from '../lines/line-lifecycle.service.js';
import { FleetSettingsService } from '../settings/fleet-settings.service.js';
import { decideReputation, type ReputationDecision } from './reputation-decision.js';
import { ReputationRepository, type ReputationCandidate } from './reputation.repository.js';

export const REPUTATION_ACTOR = 'system:reputation';
const SYSTEM: Principal = { keyId: 'system', keyName: 'reputation updater', scopes: [], actor: REPUTATION_ACTOR };

export interface ReputationChange {
  lineId: string;
  action: NonNullable<ReputationDecision>['action'];
  reason: string;
}

/**
 * Kubernetes-style reconcile loop for the automatic reputation changes: for each line,
 * read what is (reputation, warm-up age, first-contact response rate from the governor's
 * counters), ask decideReputation, and apply at most that one change. Idempotent and safe
 * on any number of processes at once: every change goes through the lifecycle service's
 * compare-and-set, so a line a person flagged (or another replica already changed) in the
 * meantime is refused by the state machine and left alone.
 */
@Injectable()
export class ReputationUpdater implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('reputation');
  private readonly loop = new ReconcileLoop<ReputationChange[]>('reputation', () => this.runPass(), [], this.logger);

  constructor(
    private readonly lines: ReputationRepository,
    private readonly lifecycle: LineLifecycleService,
    private readonly governor: GovernorService,
    private readonly settings: FleetSettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** One pass over the fleet at the current time; passes in this process run one after the other. */
  reconcileAll(): Promise<ReputationChange[]> {
    return this.loop.run();
  }

  private async runPass(): Promise<ReputationChange[]> {
    const now = this.clock.now();
    const fleet = await this.settings.get();
    const changes: ReputationChange[] = [];
    for (const line of await this.lines.candidates()) {
      try {
        const change = await this.reconcileLine(line, fleet, now);
        if (change) changes.push(change);
      } catch (error) {
        this.logger.warn(`line ${line.id}: ${(error as Error).message}`);
      }
    }
    return changes;
  }

  private async reconcileLine(line: ReputationCandidate, fleet: FleetSettings, now: Date): Promise<ReputationChange | null> {
    const limits = effectiveLimits(fleet.limits, storedOverrides(line.limits));
    const warmupOver = governorDaysBetween(line.warmupStartedAt, now, fleet.timeZone, fleet.dayResetTime) >= limits.warmupDays;
    // Only good and throttled lines are judged on their rate: spare the Redis read for the rest.
    const responseRate =
      line.reputation === 'warming'
        ? { sample: 0, responded: 0, rate: null, throttle: false }
        : await this.governor.responseRate({ ...line, health: line.node.healthState, limits: storedOverrides(line.limits) }, now);
    const decision = decideReputation({
      reputation: line.reputation,
      warmupOver,
      responseRate,
      floor: DEFAULT_GOVERNOR_TUNING.responseRateFloor,
    });
    if (!decision) return null;
    try {
      await this.lifecycle.reputation(line.id, decision.action, decision.reason, SYSTEM);
    } catch (error) {
      // The line changed under us (a person flagged it, another replica acted): the state machine refused.
      if (error instanceof InvalidTransition) return null;
      throw error;
    }
    this.logger.log(`line ${line.id}: ${decision.action} (${decision.reason})`);
    return { lineId: line.id, ...decision };
  }

  onApplicationBootstrap(): void {
    if (!runsRole(this.config, 'worker')) return;
    this.loop.start(this.config.RECONCILE_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
  }
}
