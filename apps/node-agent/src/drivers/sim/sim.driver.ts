import { randomUUID } from 'node:crypto';
import type { SendErrorCode } from '@bridgefleet/contracts/agent.schema.js';
import { sleep, type Timers } from '../../clock/clock.js';
import type { DriverEvent, DriverHealth, DriverSendOutcome, DriverSendRequest, MessagesDriver, ReconcileOutcome } from '../driver.js';
import { BanModel, type BanThresholds } from './ban-model.js';
import { seededRandom } from './seeded-random.js';
import { SimSentBook, type SimSentEntry, type SimSentLog } from './sim-sent-book.js';

export type MessagesAppState = 'running' | 'crashed' | 'hung';

export interface SimOptions {
  seed: number;
  latencyMs: number;
  /** Extra latency, uniformly 0..jitter. */
  latencyJitterMs: number;
  failureRate: number;
  /** Recipients matching this have no iMessage (default: numbers ending in 0000). */
  noImessagePattern: RegExp;
  /** Share of recipients who reply, after `replyDelayMs`. */
  responseRate: number;
  replyDelayMs: number;
  deliveryDelayMs: number;
  /** Undefined: the line is never banned by the model (it can still be banned by hand via faults). */
  ban?: BanThresholds;
  timers: Timers;
  sentLog?: SimSentLog;
}

export interface SimFaults {
  messagesApp?: MessagesAppState;
  sendFailureRate?: number;
  latencyMs?: number;
  banned?: boolean;
}

interface HungSend {
  request: DriverSendRequest;
  resolve: (outcome: DriverSendOutcome) => void;
}

/** A simulated Mac: Messages.app with its faults, recipients who reply, and an Apple that bans. */
export class SimDriver implements MessagesDriver {
  readonly name = 'sim' as const;
  private app: MessagesAppState = 'running';
  private banned = false;
  private banReason: string | undefined;
  private readonly random: () => number;
  private readonly banModel: BanModel | undefined;
  private readonly sentLog: SimSentLog;
  private readonly sentById = new Map<string, SimSentEntry>();
  private hung: HungSend[] = [];
  private emit: (event: DriverEvent) => void = () => undefined;

  constructor(private readonly options: SimOptions) {
    this.random = seededRandom(options.seed);
    this.banModel = options.ban ? new BanModel(options.ban) : undefined;
    this.sentLog = options.sentLog ?? SimSentBook.inMemory().forScope();
    for (const entry of this.sentLog.entries()) {
      this.sentById.set(entry.messageId, entry);
      this.banModel?.recordSend(entry.to, Date.parse(entry.at));
    }
  }

  async start(onEvent: (event: DriverEvent) => void): Promise<void> {
    this.emit = onEvent;
  }

  async stop(): Promise<void> {
    this.emit = () => undefined;
  }

  async health(): Promise<DriverHealth> {
    const problems: string[] = [];
    if (this.app === 'crashed') problems.push('Messages.app is not running');
    if (this.banned) problems.push(`the Apple ID is banned${this.banReason ? `: ${this.banReason}` : ''}`);
    // A hung Messages.app looks alive from outside: only stuck sends give it away.
    return {
      healthy: this.app !== 'crashed' && !this.banned,
      messagesAppRunning: this.app !== 'crashed',
      signals: { banned: this.banned, imessageSignedIn: true, icloudSignedIn: true, diskAccess: true, bridgeReachable: true },
      problems,
    };
  }

  send(request: DriverSendRequest): Promise<DriverSendOutcome> {
    if (this.app === 'crashed') return Promise.resolve(failed('messages_unavailable', 'Messages.app is not running', true));
    if (this.app === 'hung') return new Promise((resolve) => this.hung.push({ request, resolve }));
    return this.deliverAfterLatency(request);
  }

  async reconcile(request: DriverSendRequest): Promise<ReconcileOutcome> {
    const entry = this.sentById.get(request.messageId);
    if (entry) return { state: 'sent', providerId: entry.providerId };
    if (this.hung.some((send) => send.request.messageId === request.messageId)) return undefined;
    return { state: 'not_sent' };
  }

  async availability(address: string): Promise<boolean> {
    // A banned Apple ID sees "not available" even for known iPhones.
    return !this.banned && !this.options.noImessagePattern.test(address);
  }

  /** A user texts this line. */
  inbound(from: string, body?: string): void {
    this.banModel?.recordInbound(from, this.options.timers.now());
    this.emit({
      type: 'received',
      from,
      ...(body === undefined ? {} : { body }),
      providerId: `sim-in-${randomUUID()}`,
      at: this.nowDate(),
    });
  }

  setFaults(faults: SimFaults): void {
    if (faults.sendFailureRate !== undefined) this.options.failureRate = faults.sendFailureRate;
    if (faults.latencyMs !== undefined) this.options.latencyMs = faults.latencyMs;
    if (faults.banned !== undefined) {
      this.banned = faults.banned;
      this.banReason = faults.banned ? 'banned by hand (sim fault)' : undefined;
    }
    if (faults.messagesApp !== undefined) this.setMessagesApp(faults.messagesApp);
  }

  state(): { messagesApp: MessagesAppState; banned: boolean; banReason?: string; hungSends: number } {
    return {
      messagesApp: this.app,
      banned: this.banned,
      ...(this.banReason ? { banReason: this.banReason } : {}),
      hungSends: this.hung.length,
    };
  }

  sent(): readonly SimSentEntry[] {
    return this.sentLog.entries();
  }

  private setMessagesApp(state: MessagesAppState): void {
    this.app = state;
    if (state === 'hung') return;
    const waiting = this.hung;
    this.hung = [];
    for (const send of waiting) {
      // Restarting Messages.app releases queued sends; a crash loses them.
      if (state === 'running') void this.deliverAfterLatency(send.request).then(send.resolve);
      else send.resolve(failed('messages_unavailable', 'Messages.app quit before sending', true));
    }
  }

  private async deliverAfterLatency(request: DriverSendRequest): Promise<DriverSendOutcome> {
    await sleep(this.options.timers, this.options.latencyMs + this.random() * this.options.latencyJitterMs);
    return this.complete(request);
  }

  private async complete(request: DriverSendRequest): Promise<DriverSendOutcome> {
    if (this.app === 'crashed') return failed('messages_unavailable', 'Messages.app is not running', true);
    if (this.banned) return failed('banned', 'Not Delivered: this Apple ID can no longer send iMessages', false);
    if (this.options.noImessagePattern.test(request.to))
      return failed('no_imessage', `${request.to} is not registered with iMessage`, false);
    if (this.random() < this.options.failureRate) return failed('bridge_error', 'Message Send Error (simulated)', true);
    const providerId = `sim-${randomUUID()}`;
    const at = this.nowDate();
    // Like BlueBubbles, the simulated Mac does not dedupe: a second send of an id goes out again.
    const entry: SimSentEntry = {
      messageId: request.messageId,
      to: request.to,
      ...(request.body ? { body: request.body } : {}),
      ...(request.attachments?.length ? { attachments: request.attachments.map((attachment) => ({ ...attachment })) } : {}),
      providerId,
      at: at.toISOString(),
    };
    await this.sentLog.append(entry);
    this.sentById.set(request.messageId, entry);
    this.afterSend(request, providerId);
    return { state: 'sent', providerId };
  }

  private afterSend(request: DriverSendRequest, providerId: string): void {
    const { timers } = this.options;
    this.banModel?.recordSend(request.to, timers.now());
    const reason = this.banModel?.verdict();
    if (reason && !this.banned) {
      this.banned = true;
      this.banReason = reason;
    }
    timers.setTimeout(
      () => this.emit({ type: 'delivered', providerId, messageId: request.messageId, at: this.nowDate() }),
      this.options.deliveryDelayMs,
    );
    if (this.random() < this.options.responseRate) {
      timers.setTimeout(() => this.inbound(request.to, `Re: ${(request.body ?? '').slice(0, 40)}`), this.options.replyDelayMs);
    }
  }

  private nowDate(): Date {
    return new Date(this.options.timers.now());
  }
}

function failed(code: SendErrorCode, message: string, retryable: boolean): DriverSendOutcome {
  return { state: 'failed', code, message, retryable };
}
