import type { AgentHealthReport, SendCommand, SendResult } from '@bridgefleet/contracts/agent.schema.js';
import type { Timers } from './clock/clock.js';
import { driverEventToAgentEvent, sendOutcomeEvent } from './agent-event-factory.js';
import type { DriverEvent, DriverSendOutcome, DriverSendRequest, MessagesDriver } from './drivers/driver.js';
import type { LedgerOutcome, LedgerRecord, SendLedger } from './ledger/send-ledger.js';
import type { EventOutbox } from './outbox/event-outbox.js';

export interface AgentLog {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface NodeAgentDeps {
  bridgeId: string;
  version: string;
  driver: MessagesDriver;
  ledger: SendLedger;
  outbox: EventOutbox;
  timers: Timers;
  sendTimeoutMs: number;
  log: AgentLog;
  /** Test hook for the crash-consistency tests; never set in production. */
  crash?: 'off' | 'after-record' | 'after-send';
}

/**
 * One Mac's agent: sends through its driver at most once per message id (durable ledger
 * first, bridge second), and turns outcomes and bridge observations into events in its outbox.
 */
export class NodeAgent {
  private readonly startedAt: number;
  private lastSentAt: Date | undefined;
  private readonly recording = new Map<string, Promise<SendResult>>();
  /** Ids whose driver call has not returned yet (a hung Messages.app): never released meanwhile. */
  private readonly outstanding = new Set<string>();
  private readonly providerToMessage = new Map<string, string>();
  private readonly storing = new Set<Promise<void>>();

  constructor(private readonly deps: NodeAgentDeps) {
    this.startedAt = deps.timers.now();
  }

  /** Starts the driver and settles what a previous run left pending; call before serving sends. */
  async start(): Promise<void> {
    await this.deps.driver.start((event) => this.onDriverEvent(event));
    await this.reconcilePending();
  }

  async stop(): Promise<void> {
    await this.deps.driver.stop();
  }

  send(command: SendCommand): Promise<SendResult> {
    const inProgress = this.recording.get(command.messageId);
    if (inProgress) return inProgress;
    const known = this.deps.ledger.get(command.messageId);
    // A retryable failure means the bridge certainly did not send it (drivers report
    // 'failed' only then), so the control plane's retry may try again, once at a time.
    const retry = known?.state === 'failed' && known.error?.retryable === true;
    if (known && !retry) return Promise.resolve(toResult(known));
    const attempt = (
      retry ? this.deps.ledger.release(command.messageId).then(() => this.firstSend(command)) : this.firstSend(command)
    ).finally(() => this.recording.delete(command.messageId));
    this.recording.set(command.messageId, attempt);
    return attempt;
  }

  lookup(messageId: string): SendResult | undefined {
    const record = this.deps.ledger.get(messageId);
    return record && toResult(record);
  }

  availability(address: string): Promise<boolean> {
    return this.deps.driver.availability(address);
  }

  async health(): Promise<AgentHealthReport> {
    const driver = await this.deps.driver.health();
    return {
      bridgeId: this.deps.bridgeId,
      status: driver.healthy ? 'healthy' : 'unhealthy',
      messagesAppRunning: driver.messagesAppRunning,
      lastMessageSentAt: this.lastSentAt?.toISOString() ?? null,
      pendingCommands: this.deps.ledger.pendingCount(),
      uptime: Math.max(0, (this.deps.timers.now() - this.startedAt) / 1000),
      driver: this.deps.driver.name,
      version: this.deps.version,
      signals: { ...driver.signals, ...(driver.problems.length ? { problems: driver.problems.join('; ') } : {}) },
    };
  }

  /** Sends with an unknown outcome. A fleet reconciles only the agents that have some. */
  hasPending(): boolean {
    return this.deps.ledger.pendingCount() > 0;
  }

  /** Asks the bridge about every pending send. Never resends: a confirmed non-send is only forgotten. */
  async reconcilePending(): Promise<void> {
    for (const record of this.deps.ledger.pending()) {
      if (this.recording.has(record.messageId)) continue;
      const request = toRequest(record);
      const outcome = await this.deps.driver.reconcile(request, new Date(record.recordedAt)).catch(() => undefined);
      if (!outcome || outcome.state === 'unknown') continue;
      if (outcome.state === 'not_sent') {
        if (this.outstanding.has(record.messageId)) continue;
        await this.deps.ledger.release(record.messageId);
        this.deps.log.info({ messageId: record.messageId }, 'pending send never reached Messages; forgotten so it can be sent');
        continue;
      }
      await this.settle(record.messageId, outcome);
    }
  }

  private async firstSend(command: SendCommand): Promise<SendResult> {
    const { ledger, driver, timers } = this.deps;
    const record = await ledger.recordPending(command, new Date(timers.now()));
    if (this.deps.crash === 'after-record') process.kill(process.pid, 'SIGKILL');
    this.outstanding.add(command.messageId);
    const call = driver
      .send(toRequest(record))
      .catch((error: Error): DriverSendOutcome => ({ state: 'unknown', message: error.message }))
      .finally(() => this.outstanding.delete(command.messageId));
    const outcome = await withTimeout(call, this.deps.sendTimeoutMs, timers);
    if (!outcome || outcome.state === 'unknown') {
      // Maybe sent, maybe not: stay pending; a late answer or the reconciler decides.
      void call.then((late) => (late.state === 'unknown' ? undefined : this.settle(command.messageId, late))).catch(() => undefined);
      return toResult(ledger.get(command.messageId) ?? record);
    }
    if (this.deps.crash === 'after-send') process.kill(process.pid, 'SIGKILL');
    return this.settle(command.messageId, outcome);
  }

  private async settle(messageId: string, outcome: Exclude<DriverSendOutcome, { state: 'unknown' }>): Promise<SendResult> {
    const { ledger, outbox, timers } = this.deps;
    const current = ledger.get(messageId);
    if (current && current.state !== 'pending') return toResult(current);
    const at = new Date(timers.now());
    const final: LedgerOutcome =
      outcome.state === 'sent'
        ? { state: 'sent', ...(outcome.providerId ? { providerId: outcome.providerId } : {}) }
        : { state: 'failed', error: { code: outcome.code, message: outcome.message, retryable: outcome.retryable } };
    // Outbox before ledger: a crash in between replays the same event id, which the control plane dedupes.
    await outbox.add([sendOutcomeEvent(messageId, final, at)]);
    const record = await ledger.recordOutcome(messageId, final, at);
    if (final.state === 'sent') {
      this.lastSentAt = at;
      if (final.providerId) this.providerToMessage.set(final.providerId, messageId);
    }
    return toResult(record);
  }

  private onDriverEvent(event: DriverEvent): void {
    const agentEvent = driverEventToAgentEvent(event, (providerId) => this.providerToMessage.get(providerId));
    if (!agentEvent) {
      this.deps.log.warn({ type: event.type }, 'bridge event for an unknown message dropped');
      return;
    }
    const stored: Promise<void> = this.deps.outbox
      .add([agentEvent])
      .catch((error: Error) => this.deps.log.error({ err: error.message, type: agentEvent.type }, 'could not store an event'))
      .finally(() => this.storing.delete(stored));
    this.storing.add(stored);
  }

  /** Resolves once every bridge event observed so far is in the outbox on disk (before acknowledging a webhook). */
  async eventsStored(): Promise<void> {
    await Promise.all([...this.storing]);
  }
}

function toRequest(record: LedgerRecord): DriverSendRequest {
  return {
    messageId: record.messageId,
    to: record.to,
    ...(record.body === undefined ? {} : { body: record.body }),
    ...(record.attachments ? { attachments: record.attachments } : {}),
  };
}

export function toResult(record: LedgerRecord): SendResult {
  return {
    messageId: record.messageId,
    state: record.state,
    ...(record.providerId ? { providerId: record.providerId } : {}),
    ...(record.error ? { error: record.error } : {}),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, timers: Timers): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = timers.setTimeout(() => resolve(undefined), ms);
    void promise.then((value) => {
      timers.clearTimeout(timer);
      resolve(value);
    });
  });
}
