import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Prisma } from '@bridgefleet/db/generated/client.js';
import {
  initialHealthMemory,
  nextHealth,
  type HealthObservation,
  type NodeHealthMemory,
} from '@bridgefleet/policy/health/health-state-machine.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { runsRole } from '../config/roles.js';
import { AgentProber, type ProbeOutcome } from './agent-prober.js';
import { HealthEvents } from './health-events.js';
import { HealthMetrics } from './health-metrics.js';
import { HealthSettingsSource, type EffectiveHealthSettings } from './health-settings.source.js';
import { NodeHealthRepository, type HealthChange, type NodeHealthWrite, type PollTarget } from './node-health.repository.js';
import { ProbeLeaseRepository } from './probe-lease.repository.js';
import { ProbeSchedule } from './probe-schedule.js';
import { StormGuardService } from './storm-guard.service.js';

/** The memory kept in Redis per node: the state machine's, plus when the row was last written. */
interface StoredMemory {
  m: NodeHealthMemory;
  w: number;
}

interface ProbeJob {
  target: PollTarget;
  stored: StoredMemory | null;
  effective: EffectiveHealthSettings;
}

/**
 * Polls every node's `GET /health` once per interval (DESIGN.md "Health and remediation").
 * One loop for the whole fleet: each tick takes the nodes whose place in the
 * interval has come (ProbeSchedule), claims them in Redis so no other control-plane
 * process probes them this interval, and runs the probes with bounded concurrency.
 * `tick()` is public so tests can drive it with a manual clock.
 */
@Injectable()
export class HealthPollerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('health-poller');
  private readonly schedule = new ProbeSchedule();
  private targets = new Map<string, PollTarget>();
  private readonly queue: ProbeJob[] = [];
  private readonly inFlight = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private changes: Array<{ change: HealthChange; memory: string }> = [];
  private routineWrites: NodeHealthWrite[] = [];
  private memoryWrites: Array<[string, string]> = [];
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private stopped = false;

  constructor(
    private readonly prober: AgentProber,
    private readonly nodes: NodeHealthRepository,
    private readonly leases: ProbeLeaseRepository,
    private readonly settingsSource: HealthSettingsSource,
    private readonly events: HealthEvents,
    private readonly metrics: HealthMetrics,
    private readonly storm: StormGuardService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get enabled(): boolean {
    return this.config.HEALTH_POLLER_ENABLED && runsRole(this.config, 'poller');
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.logger.log('health poller started');
    this.scheduleTick(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.queue.length = 0;
    this.prober.close();
  }

  /** One step of the loop: start the probes now due, then flush buffered writes. */
  async tick(): Promise<void> {
    const effective = await this.settingsSource.get();
    const nowMs = this.clock.now().getTime();
    const epoch = Math.floor(nowMs / effective.intervalMs);
    if (epoch !== this.schedule.epoch) {
      // Nodes the previous epoch did not reach (a late tick) still get their probe, under that epoch.
      if (this.schedule.epoch >= 0) await this.dispatch(this.schedule.takeRest(), this.schedule.epoch, effective);
      this.targets = new Map((await this.nodes.listPollTargets()).map((target) => [target.id, target]));
      this.schedule.start(epoch, [...this.targets.keys()]);
    }
    await this.dispatch(this.schedule.takeDue((nowMs % effective.intervalMs) / effective.intervalMs), epoch, effective);
    await this.flush();
  }

  /** Waits for the probes under way and writes what they found (tests; shutdown). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
    await this.flush();
  }

  private scheduleTick(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.runTick(), delayMs);
    this.timer.unref();
  }

  private async runTick(): Promise<void> {
    let intervalMs = 10_000;
    if (!this.ticking) {
      this.ticking = true;
      try {
        await this.tick();
        intervalMs = (await this.settingsSource.get()).intervalMs;
      } catch (error) {
        this.logger.warn(`health poll tick failed: ${(error as Error).message}`);
      } finally {
        this.ticking = false;
      }
    }
    // ~50 ticks per interval, at most every 100 ms: fine-grained spreading without a busy loop.
    this.scheduleTick(Math.min(100, Math.max(10, intervalMs / 50)));
  }

  private async dispatch(nodeIds: string[], epoch: number, effective: EffectiveHealthSettings): Promise<void> {
    const candidates = nodeIds.filter((id) => !this.inFlight.has(id) && this.targets.has(id));
    if (candidates.length === 0) return;
    const claimed = await this.leases.claim(candidates, epoch, 2 * effective.intervalMs);
    for (const [id, memory] of claimed) {
      this.queue.push({ target: this.targets.get(id)!, stored: memory ? (JSON.parse(memory) as StoredMemory) : null, effective });
      this.inFlight.add(id);
    }
    this.pump();
  }

  private pump(): void {
    while (!this.stopped && this.inFlight.size - this.queue.length < this.config.HEALTH_PROBE_CONCURRENCY && this.queue.length > 0) {
      const job = this.queue.shift()!;
      const running: Promise<void> = this.run(job).finally(() => {
        this.inFlight.delete(job.target.id);
        this.running.delete(running);
        this.pump();
      });
      this.running.add(running);
    }
  }

  private async run(job: ProbeJob): Promise<void> {
    const { settings, intervalMs } = job.effective;
    const timeoutMs = Math.min(settings.probeTimeoutMs, Math.floor(intervalMs * 0.8));
    const started = performance.now();
    const outcome = await this.prober.probe(job.target.agentUrl, job.target.agentToken, timeoutMs);
    this.metrics.probeDuration.observe((performance.now() - started) / 1_000);
    this.metrics.probes.inc({ result: outcome.ok ? 'ok' : outcome.result });
    if (this.stopped) return;
    try {
      await this.observe(job, outcome);
    } catch (error) {
      this.logger.warn(`recording health of node ${job.target.id} failed: ${(error as Error).message}`);
    }
  }

  private async observe(job: ProbeJob, outcome: ProbeOutcome): Promise<void> {
    const { target, effective } = job;
    const now = this.clock.now();
    const prev = job.stored?.m ?? initialHealthMemory(target.healthState, target.consecutiveFailures);
    const observation: HealthObservation = outcome.ok ? { kind: 'report', report: outcome.report } : { kind: 'miss', error: outcome.error };
    const step = nextHealth(prev, observation, effective.settings, now);
    const write: NodeHealthWrite = {
      nodeId: target.id,
      state: step.state,
      checkedAt: now,
      consecutiveFailures: step.memory.consecutiveFailures,
      ...(outcome.ok ? { report: outcome.report as Prisma.InputJsonValue } : {}),
    };
    const memory = (w: number) => JSON.stringify({ m: step.memory, w } satisfies StoredMemory);
    if (step.changed) {
      this.changes.push({ change: { ...write, from: prev.state, reason: step.reason }, memory: memory(now.getTime()) });
    } else if (this.routineWriteDue(prev, step.memory, job.stored?.w ?? 0, now.getTime(), effective)) {
      this.routineWrites.push(write);
      this.memoryWrites.push([target.id, memory(now.getTime())]);
    } else {
      this.memoryWrites.push([target.id, memory(job.stored?.w ?? 0)]);
    }
  }

  /**
   * Without a state change the row is refreshed at most every HEALTH_WRITE_EVERY_SECONDS,
   * except while misses count up towards unreachable (the node view shows them) or after
   * our clock went back.
   */
  private routineWriteDue(
    prev: NodeHealthMemory,
    next: NodeHealthMemory,
    writtenAt: number,
    nowMs: number,
    effective: EffectiveHealthSettings,
  ): boolean {
    if (next.consecutiveFailures !== prev.consecutiveFailures && next.consecutiveFailures <= effective.settings.missesToUnreachable)
      return true;
    return writtenAt > nowMs || nowMs - writtenAt >= this.config.HEALTH_WRITE_EVERY_SECONDS * 1_000;
  }

  /**
   * Writes what the probes since the last tick found, in batches. A change's memory is
   * saved only once the change is committed: if the write fails, the next probe sees the
   * old state again and retries the change.
   */
  private async flush(): Promise<void> {
    const changes = this.changes;
    const rows = this.routineWrites;
    const memories = this.memoryWrites;
    this.changes = [];
    this.routineWrites = [];
    this.memoryWrites = [];
    const [written] = await Promise.all([
      this.nodes.recordChanges(changes.map(({ change }) => change)).catch((error: unknown) => {
        this.logger.warn(`recording ${changes.length} health changes failed: ${(error as Error).message}`);
        return null;
      }),
      this.nodes.writeRoutine(rows),
    ]);
    if (written !== null) {
      for (const { change, memory } of changes) {
        memories.push([change.nodeId, memory]);
        if (written.has(change.nodeId)) {
          const { nodeId, from, state: to, reason, checkedAt: at } = change;
          this.events.publish({ type: 'node.health', nodeId, from, to, reason, at });
        }
      }
      const fallen = changes.filter(({ change }) => change.state === 'unreachable' && written.has(change.nodeId));
      await this.storm.recordUnreachable(
        fallen.map(({ change }) => change.nodeId),
        this.clock.now(),
      );
    }
    await this.leases.saveMemory(memories);
  }
}
