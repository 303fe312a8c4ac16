import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { nextLadderAction, type LadderDecision } from '@bridgefleet/policy/remediation/escalation-ladder.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { runsRole } from '../config/roles.js';
import { HealthEvents } from '../health/health-events.js';
import { StormGuardService } from '../health/storm-guard.service.js';
import { Conflict } from '../http/problems.js';
import { ReconcileLoop } from '../reconcile/reconcile-loop.js';
import { RemediationEvents } from '../remediation/remediation-events.js';
import { RemediationService } from '../remediation/remediation.service.js';
import { FleetSettingsService } from '../settings/fleet-settings.service.js';
import { AutoRemediationRepository } from './auto-remediation.repository.js';

export const AUTO_REMEDIATION_ACTOR = 'system:auto-remediation';
const HOUR_MS = 3_600_000;

/**
 * Kubernetes-style reconcile loop for the escalation ladder: for a node, read what is
 * (health, automatic runs since it went bad, storm guard, settings), ask the pure policy
 * what should happen next, and do at most that one thing. Safe to call any number of
 * times, from any process: a second caller finds the run already active (or the
 * database refuses a second active run on the node), so it waits instead.
 * Triggered by node.health and remediation.finished events and by a timer.
 */
@Injectable()
export class AutoRemediationReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('auto-remediation');
  private readonly perNode = new Map<string, Promise<LadderDecision | null>>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly loop = new ReconcileLoop<void>('auto-remediation', () => this.reconcileAll(), undefined, this.logger);

  constructor(
    private readonly nodes: AutoRemediationRepository,
    private readonly remediation: RemediationService,
    private readonly settings: FleetSettingsService,
    private readonly storm: StormGuardService,
    private readonly audit: AuditRepository,
    private readonly healthEvents: HealthEvents,
    private readonly remediationEvents: RemediationEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Reconciles one node; calls for the same node in this process run one after the other. */
  reconcileNode(nodeId: string, now: Date = this.clock.now()): Promise<LadderDecision | null> {
    const previous = this.perNode.get(nodeId) ?? Promise.resolve(null);
    const next = previous.catch(() => null).then(() => this.reconcileOnce(nodeId, now));
    this.perNode.set(nodeId, next);
    void next.finally(() => {
      if (this.perNode.get(nodeId) === next) this.perNode.delete(nodeId);
    });
    return next;
  }

  async reconcileAll(now: Date = this.clock.now()): Promise<void> {
    for (const nodeId of await this.nodes.nodesInTrouble()) {
      await this.reconcileNode(nodeId, now).catch((error: unknown) =>
        this.logger.warn(`reconciling node ${nodeId} failed: ${(error as Error).message}`),
      );
    }
  }

  private async reconcileOnce(nodeId: string, now: Date): Promise<LadderDecision | null> {
    const node = await this.nodes.nodeFacts(nodeId);
    if (!node) return null;
    const { remediation } = await this.settings.get();
    const since = new Date(Math.min(node.episodeStart.getTime(), now.getTime() - HOUR_MS));
    const decision = nextLadderAction({
      health: node.healthState,
      settings: remediation,
      episodeStart: node.episodeStart,
      history: await this.nodes.automaticRuns(nodeId, since),
      stormActive: this.storm.isStormActive(),
      now,
    });
    if (decision.action !== 'run') return decision;
    if (!node.hasSshTarget) return { action: 'stop', reason: 'node has no SSH target' };
    try {
      const run = await this.remediation.request(
        nodeId,
        { runbook: decision.runbook, reason: `auto-remediation: ${decision.reason}` },
        { actor: AUTO_REMEDIATION_ACTOR, automatic: true },
      );
      await this.audit.record({
        actor: AUTO_REMEDIATION_ACTOR,
        action: 'remediation.auto.step',
        targetType: 'node',
        targetId: nodeId,
        reason: decision.reason,
        detail: { runId: run.id, runbook: decision.runbook, step: decision.step, of: decision.of, health: node.healthState },
      });
      this.logger.log(`node ${node.name}: ${decision.reason} → ${decision.runbook} (run ${run.id})`);
      return decision;
    } catch (error) {
      // Someone (a person, another process) has a run going on this node: the next reconcile sees it.
      if (error instanceof Conflict) return { action: 'wait', until: null, reason: error.message };
      throw error;
    }
  }

  private get enabled(): boolean {
    return this.config.AUTO_REMEDIATION_ENABLED && runsRole(this.config, 'poller');
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    const reconcileQuietly = (nodeId: string) =>
      void this.reconcileNode(nodeId).catch((error: unknown) => this.logger.warn(`node ${nodeId}: ${(error as Error).message}`));
    this.unsubscribe.push(
      this.healthEvents.subscribe((event) => {
        if (event.to === 'degraded' || event.to === 'unreachable') reconcileQuietly(event.nodeId);
      }),
      this.remediationEvents.subscribe((event) => {
        if (event.automatic) reconcileQuietly(event.nodeId);
      }),
    );
    this.loop.start(this.config.AUTO_REMEDIATION_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop();
    for (const stop of this.unsubscribe.splice(0)) stop();
    await Promise.allSettled([...this.perNode.values()]);
  }
}
