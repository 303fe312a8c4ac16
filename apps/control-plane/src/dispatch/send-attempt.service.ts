import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { SendResult } from '@bridgefleet/contracts/agent.schema.js';
import { effectiveLimits, type LimitOverrides } from '@bridgefleet/contracts/limits.schema.js';
import type { Message } from '@bridgefleet/db/generated/client.js';
import { isSendable } from '@bridgefleet/policy/line-lifecycle.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { CLOCK, type Clock } from '../clock/clock.js';
import { PrismaService } from '../database/prisma.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { AgentClient, type AgentCallResult, type AgentTarget } from './agent-client.js';
import { FleetSettingsService } from '../settings/fleet-settings.service.js';
import { MessageTransitionsRepository } from './message-transitions.repository.js';
import { SendGate, type GateContact, type GateLine } from './send-gate.js';

const DAY_MS = 86_400_000;
// How many queued messages of a line are looked at per claim: enough to find a
// contact that may be sent to when the oldest ones are gated per contact.
const HEAD_WINDOW = 20;
// A line that cannot send (unreachable node, flagged) is looked at again after this.
const UNSENDABLE_RECHECK_MS = 15_000;
// A contact's older message still on its way to this line (routing is concurrent) is looked for again after this.
const ORDER_RECHECK_MS = 250;

export interface LineOutcome {
  /** Messages that left the line's queue (sent or final). */
  finished: string[];
  /** When the line may be tried again. */
  nextAt: number;
}

type LineWithNode = NonNullable<Awaited<ReturnType<SendAttemptService['loadLine']>>>;

/**
 * One turn of one line: pick the oldest message the governor lets go (keeping
 * each contact's messages in order), send it through the agent, and record the
 * outcome. One send in flight per line: the caller holds the line's lease.
 */
@Injectable()
export class SendAttemptService {
  private readonly logger = new Logger('dispatch');
  /** Governor holds by reason (a closed set of rule names, so bounded). */
  private readonly deferrals: Counter<'reason'>;

  constructor(
    private readonly prisma: PrismaService,
    private readonly transitions: MessageTransitionsRepository,
    private readonly agent: AgentClient,
    private readonly gate: SendGate,
    private readonly settings: FleetSettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    metrics: MetricsService,
  ) {
    this.deferrals = new Counter({
      name: 'bridgefleet_governor_deferrals_total',
      help: 'Sends the governor held back (the message waits), by reason: the rule that said not yet.',
      labelNames: ['reason'] as const,
      registers: [metrics.registry],
    });
  }

  loadLine(lineId: string) {
    return this.prisma.line.findUnique({ where: { id: lineId }, include: { node: true } });
  }

  async runLine(lineId: string, head: string[]): Promise<LineOutcome> {
    const now = this.clock.now();
    const line = await this.loadLine(lineId);
    if (!line) return { finished: head, nextAt: now.getTime() };
    if (!isSendable(line, line.node.healthState)) {
      // Messages wait on their line (the router reassigns contacts of lines gone for good),
      // but not past their validUntil: a Mac that is away is exactly when a backend wants
      // `expired` in time to fall back to SMS.
      return this.expireWaiting(lineId, head, now);
    }
    const settings = await this.settings.get();
    const messages = new Map((await this.transitions.findMany(head.slice(0, HEAD_WINDOW))).map((m) => [m.id, m]));
    const { contacts, oldestOpen } = await this.contactsOf([...messages.values()], now);
    const finished: string[] = [];
    const blocked = new Set<string>();
    let earliestWait = Number.POSITIVE_INFINITY;

    for (const id of head.slice(0, HEAD_WINDOW)) {
      const message = messages.get(id);
      if (!message || message.lineId !== lineId || !['assigned', 'sending'].includes(message.status)) {
        finished.push(id); // canceled, moved or already final: drop from the queue
        continue;
      }
      if (blocked.has(message.contactHandle)) continue; // keep the contact's order
      if (oldestOpen.get(message.contactHandle) !== message.seq) {
        // An older message to this contact is not done and not ahead of this one here (still
        // being routed, or not yet queued on this line): it goes first, so this one waits.
        blocked.add(message.contactHandle);
        earliestWait = Math.min(earliestWait, now.getTime() + ORDER_RECHECK_MS);
        continue;
      }
      if (message.status === 'sending') {
        // A previous attempt did not conclude: ask the agent before anything else.
        const state = await this.checkInFlight(line, message, now);
        if (state === 'finished') {
          finished.push(id);
          return { finished, nextAt: now.getTime() };
        }
        if (state === 'wait') return { finished, nextAt: now.getTime() + this.retryDelay(message.attempts) };
        // 'resend': the agent has no send of it, so a new attempt cannot double it; it goes through the governor again.
      }
      if (message.validUntil && message.validUntil <= now) {
        await this.transitions.advance(id, 'expired', now, { detail: 'validity ended while waiting for the governor' });
        finished.push(id);
        continue;
      }
      const contact = contacts.get(message.contactHandle)!;
      const decision = await this.gate.acquire(gateLine(line), contact, now);
      if (!decision.allow) {
        this.deferrals.inc({ reason: decision.reason });
        this.logger.debug(`line ${lineId}: ${message.id} held (${decision.reason}) until ${decision.waitUntil.toISOString()}`);
        earliestWait = Math.min(earliestWait, decision.waitUntil.getTime());
        if (decision.scope === 'line') break;
        blocked.add(message.contactHandle);
        continue;
      }
      const sent = await this.attempt(line, message, contact, decision.reservation, now);
      if (sent) finished.push(id);
      const gapMs = effectiveLimits(settings.limits, line.limits as LimitOverrides).minGapSeconds * 1000;
      return { finished, nextAt: sent ? now.getTime() + gapMs : now.getTime() + this.retryDelay(message.attempts + 1) };
    }
    // A held message must not outlive its validUntil waiting for the governor's next slot (e.g. the
    // next day): the line is looked at again by the earliest deadline in its head, which expires it.
    for (const message of messages.values()) {
      if (message.validUntil && !finished.includes(message.id)) earliestWait = Math.min(earliestWait, message.validUntil.getTime());
    }
    const nextAt = Number.isFinite(earliestWait) ? earliestWait : now.getTime() + UNSENDABLE_RECHECK_MS;
    return { finished, nextAt };
  }

  /** On a line that cannot send: expires the head's messages past their deadline; rechecks by the next one. */
  private async expireWaiting(lineId: string, head: string[], now: Date): Promise<LineOutcome> {
    const finished: string[] = [];
    let nextAt = now.getTime() + UNSENDABLE_RECHECK_MS;
    for (const message of await this.transitions.findMany(head.slice(0, HEAD_WINDOW))) {
      if (message.lineId !== lineId || message.status !== 'assigned' || !message.validUntil) continue;
      if (message.validUntil > now) nextAt = Math.min(nextAt, message.validUntil.getTime());
      else if (await this.transitions.advance(message.id, 'expired', now, { detail: 'validity ended while its line could not send' }))
        finished.push(message.id);
    }
    return { finished, nextAt };
  }

  /** Sends one message; true when it left the queue (sent or final), false when it will be retried. */
  private async attempt(line: LineWithNode, message: Message, contact: GateContact, reservation: unknown, now: Date): Promise<boolean> {
    if (message.status === 'sending') {
      await this.transitions.note(message.id, 'sending', now, `attempt ${message.attempts + 1}`, { incrementAttempts: true });
    } else {
      const moved = await this.transitions.advance(message.id, 'sending', now, {
        incrementAttempts: true,
        detail: `attempt ${message.attempts + 1}`,
      });
      if (!moved) return true; // canceled meanwhile
    }
    const target = agentTarget(line);
    const command = {
      messageId: message.id,
      to: message.contactHandle,
      ...(message.body ? { body: message.body } : {}),
      ...(Array.isArray(message.attachments) && message.attachments.length ? { attachments: message.attachments as never } : {}),
    };
    let call = await this.agent.send(target, command, this.config.AGENT_SEND_TIMEOUT_MS);
    if (call.kind !== 'answered') {
      // Never resend blindly: the agent may have sent it. Ask what happened.
      call = await this.agent.lookup(target, message.id, this.config.AGENT_SEND_TIMEOUT_MS);
    }
    const final = await this.applyAgentAnswer(message, call, this.clock.now());
    if (final === 'retry' || final === 'failed') await this.gate.release(gateLine(line), contact, reservation, this.clock.now());
    return final !== 'retry' && final !== 'pending';
  }

  /** What became of an attempt that did not conclude: final, still pending, or never sent (safe to resend). */
  private async checkInFlight(line: LineWithNode, message: Message, now: Date): Promise<'finished' | 'wait' | 'resend'> {
    const call = await this.agent.lookup(agentTarget(line), message.id, this.config.AGENT_SEND_TIMEOUT_MS);
    if (call.kind === 'not_found') return 'resend';
    if (call.kind === 'no_answer') return 'wait';
    const result = call.result;
    if (result.state === 'pending') return 'wait';
    if (result.state === 'failed' && result.error?.retryable) return 'resend';
    const final = await this.applyAgentAnswer(message, call, now);
    return final === 'sent' || final === 'failed' ? 'finished' : 'wait';
  }

  /** Records what the agent said. 'sent' and 'failed' are final; 'pending' and 'retry' keep the message queued. */
  private async applyAgentAnswer(message: Message, call: AgentCallResult, at: Date): Promise<'sent' | 'failed' | 'pending' | 'retry'> {
    if (call.kind === 'not_found' || call.kind === 'no_answer') {
      const why = call.kind === 'no_answer' ? call.error : 'agent has no record of the send';
      return this.retryOrFail(message, at, why);
    }
    const result: SendResult = call.result;
    if (result.state === 'sent') {
      await this.transitions.advance(message.id, 'sent', at, {
        ...(result.providerId ? { providerId: result.providerId } : {}),
        error: null,
      });
      return 'sent';
    }
    if (result.state === 'pending') {
      await this.transitions.note(message.id, 'sending', at, 'the agent is still sending; waiting for its answer');
      return 'pending';
    }
    const error = result.error;
    if (error?.code === 'no_imessage' || error?.code === 'invalid_recipient') {
      await this.transitions.advance(message.id, 'undeliverable', at, { detail: error.message, error: error.code });
      return 'failed';
    }
    if (error?.retryable) return this.retryOrFail(message, at, `${error.code}: ${error.message}`);
    await this.transitions.advance(message.id, 'failed', at, { detail: error?.message ?? 'send failed', error: error?.code ?? 'failed' });
    return 'failed';
  }

  private async retryOrFail(message: Message, at: Date, why: string): Promise<'failed' | 'retry'> {
    const attempts = message.attempts + 1;
    if (attempts >= this.config.DISPATCH_MAX_ATTEMPTS) {
      await this.transitions.advance(message.id, 'failed', at, { detail: `gave up after ${attempts} attempts: ${why}`, error: why });
      return 'failed';
    }
    await this.transitions.note(message.id, 'sending', at, `attempt ${attempts} did not conclude (${why}); will ask the agent and retry`, {
      error: why,
    });
    return 'retry';
  }

  /** Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped at 5 min. */
  private retryDelay(attempts: number): number {
    const ceiling = Math.min(300_000, 1_000 * 2 ** Math.max(0, attempts - 1));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  /**
   * The head's contacts as the governor sees them and, per contact, the seq of its oldest
   * outbound message that is not finished (queued, assigned or sending), wherever it is:
   * per-contact FIFO holds even when two messages to one contact were routed in parallel
   * and the later one reached this line first. One query for both.
   */
  private async contactsOf(
    messages: Message[],
    now: Date,
  ): Promise<{ contacts: Map<string, GateContact>; oldestOpen: Map<string, bigint> }> {
    const handles = [...new Set(messages.map((m) => m.contactHandle))];
    const contacts = new Map<string, GateContact>();
    const oldestOpen = new Map<string, bigint>();
    if (handles.length === 0) return { contacts, oldestOpen };
    const rows = await this.prisma.$queryRaw<ContactTurnRow[]>`
      SELECT h.handle, c.last_inbound_at, c.last_outbound_at, c.unanswered,
             (SELECT min(m.seq) FROM messages m
               WHERE m.contact_handle = h.handle AND m.direction = 'outbound'
                 AND m.status IN ('queued', 'assigned', 'sending')) AS oldest_open
        FROM unnest(${handles}::text[]) AS h(handle)
        LEFT JOIN contacts c ON c.handle = h.handle`;
    for (const row of rows) {
      const lastTouch = Math.max(row.last_inbound_at?.getTime() ?? 0, row.last_outbound_at?.getTime() ?? 0);
      contacts.set(row.handle, {
        handle: row.handle,
        isNew: now.getTime() - lastTouch > 30 * DAY_MS,
        wroteRecently: !!row.last_inbound_at && now.getTime() - row.last_inbound_at.getTime() <= DAY_MS,
        unanswered: row.unanswered ?? 0,
      });
      if (row.oldest_open !== null) oldestOpen.set(row.handle, BigInt(row.oldest_open));
    }
    return { contacts, oldestOpen };
  }
}

interface ContactTurnRow {
  handle: string;
  last_inbound_at: Date | null;
  last_outbound_at: Date | null;
  unanswered: number | null;
  oldest_open: bigint | string | null;
}

function agentTarget(line: LineWithNode): AgentTarget {
  return { agentUrl: line.node.agentUrl, agentToken: line.node.agentToken };
}

function gateLine(line: LineWithNode): GateLine {
  return {
    id: line.id,
    admin: line.admin,
    health: line.node.healthState,
    reputation: line.reputation,
    limits: line.limits,
    warmupStartedAt: line.warmupStartedAt,
  };
}
