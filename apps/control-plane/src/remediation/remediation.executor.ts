import { Inject, Injectable, Logger, Optional, type OnModuleDestroy } from '@nestjs/common';
import type { Prisma } from '@bridgefleet/db/generated/client.js';
import { HostKeyMismatch } from '@bridgefleet/runbooks/host-key.js';
import type { RunbookCatalog } from '@bridgefleet/runbooks/runbook-catalog.js';
import { runRunbook, type RunResult, type StepResult } from '@bridgefleet/runbooks/ssh-runner.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { CLOCK, SystemClock, type Clock } from '../clock/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { RemediationEvents } from './remediation-events.js';
import { RemediationRepository, type RemediationRunRow } from './remediation.repository.js';
import { RUNBOOK_CATALOG } from './runbook-catalog.provider.js';
import { formatRunOutput } from '@bridgefleet/runbooks/run-output.js';
import { SshCredentials } from './ssh-credentials.js';
import { toFinishedEvent } from './run-view.js';

type Outcome = Pick<RunResult, 'status' | 'exitCode' | 'steps'> & { error: string | null };

/**
 * Runs queued remediations in this process, one promise per run. Every path out of
 * `execute` — success, failure, timeout, host key mismatch, a missing key, a bug —
 * ends in `finish`, which leaves the active state and so releases the node's lock.
 */
@Injectable()
export class RemediationExecutor implements OnModuleDestroy {
  private readonly logger = new Logger('remediation');
  private readonly inFlight = new Set<Promise<void>>();
  private readonly clock: Clock;

  constructor(
    @Inject(RUNBOOK_CATALOG) private readonly catalog: RunbookCatalog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly runs: RemediationRepository,
    private readonly audit: AuditRepository,
    private readonly credentials: SshCredentials,
    private readonly events: RemediationEvents,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.clock = clock ?? new SystemClock();
  }

  enqueue(runId: string): void {
    const running = this.execute(runId)
      .catch((error: unknown) => this.logger.error(`remediation ${runId} crashed: ${(error as Error).stack ?? String(error)}`))
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  /** Runs left active by a process that died would hold the node's lock forever; every run is bounded, so older ones are dead. */
  async reapAbandoned(nodeId: string): Promise<void> {
    const longestRunMs = Math.max(...this.catalog.list().map((runbook) => runbook.timeoutSeconds), 0) * 1000;
    const before = new Date(this.clock.now().getTime() - longestRunMs - this.config.SSH_READY_TIMEOUT_MS - 60_000);
    for (const run of await this.runs.findAbandoned(nodeId, before)) {
      await this.finish(run, { status: 'failed', exitCode: null, steps: [], error: 'abandoned: the process running it stopped' });
    }
  }

  async onModuleDestroy(): Promise<void> {
    // Runs are bounded by their timeouts; let them record their outcome before the pool closes.
    await Promise.allSettled([...this.inFlight]);
  }

  private async execute(runId: string): Promise<void> {
    const run = await this.runs.findById(runId);
    if (!run) return;
    const startedAt = this.clock.now();
    const started = await this.runs.transaction(async (tx) => {
      if (!(await this.runs.markRunning(run.id, startedAt, tx))) return false;
      await this.audit.record(
        {
          actor: run.requestedBy,
          action: 'remediation.start',
          targetType: 'node',
          targetId: run.nodeId,
          reason: run.reason,
          detail: { runId: run.id, runbook: run.runbook, arguments: run.arguments as Prisma.InputJsonValue },
        },
        tx,
      );
      return true;
    });
    if (!started) return;
    let outcome: Outcome;
    try {
      outcome = await this.runOverSsh(run);
    } catch (error) {
      outcome = { status: 'failed', exitCode: null, steps: [], error: describe(error) };
    }
    await this.finish({ ...run, startedAt }, outcome);
  }

  private async runOverSsh(run: RemediationRunRow): Promise<Outcome> {
    const node = await this.runs.findNodeTarget(run.nodeId);
    if (!node?.sshHost || !node.sshPort || !node.sshUser || !node.hostKeyFingerprint) {
      return { status: 'failed', exitCode: null, steps: [], error: 'the node no longer has an SSH target' };
    }
    // Re-planned from the stored, already validated arguments: the allowlist decides again.
    const plan = this.catalog.plan(run.runbook, run.arguments);
    const done: StepResult[] = [];
    const result = await runRunbook(
      { host: node.sshHost, port: node.sshPort, username: node.sshUser, hostKeyFingerprint: node.hostKeyFingerprint },
      plan,
      {
        privateKey: this.credentials.privateKey(),
        readyTimeoutMs: this.config.SSH_READY_TIMEOUT_MS,
        keepaliveIntervalMs: this.config.SSH_KEEPALIVE_INTERVAL_MS,
        keepaliveCountMax: this.config.SSH_KEEPALIVE_COUNT_MAX,
        onStepFinished: (_, step) => {
          done.push(step);
          this.runs.saveProgress(run.id, toJson(done), formatRunOutput(done, null)).catch(() => undefined);
        },
      },
    );
    return { status: result.status, exitCode: result.exitCode, steps: result.steps, error: result.error ?? null };
  }

  private async finish(run: RemediationRunRow, outcome: Outcome): Promise<void> {
    const finishedAt = this.clock.now();
    // `run` carries the start time this process set, or (reaped) the one stored; null if it never started.
    const durationMs = run.startedAt ? finishedAt.getTime() - run.startedAt.getTime() : 0;
    const finished = await this.runs.transaction(async (tx) => {
      const changed = await this.runs.finish(
        run.id,
        {
          status: outcome.status,
          exitCode: outcome.exitCode,
          steps: toJson(outcome.steps),
          output: formatRunOutput(outcome.steps, outcome.error),
          error: outcome.error,
          finishedAt,
        },
        tx,
      );
      if (!changed) return false;
      await this.audit.record(
        {
          actor: run.requestedBy,
          action: 'remediation.finish',
          targetType: 'node',
          targetId: run.nodeId,
          reason: run.reason,
          result: outcome.status,
          detail: {
            runId: run.id,
            runbook: run.runbook,
            exitCode: outcome.exitCode,
            durationMs,
            error: outcome.error,
            steps: outcome.steps.map((step) => ({
              name: step.name,
              status: step.status,
              exitCode: step.exitCode,
              durationMs: step.durationMs,
            })),
          },
        },
        tx,
      );
      return true;
    });
    if (!finished) return;
    const row = await this.runs.findById(run.id);
    if (row) this.events.publish(toFinishedEvent(row));
  }
}

function toJson(steps: readonly StepResult[]): Prisma.InputJsonValue {
  return steps.map((step) => ({ ...step })) as unknown as Prisma.InputJsonValue;
}

function describe(error: unknown): string {
  if (error instanceof HostKeyMismatch) return `host key mismatch: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
