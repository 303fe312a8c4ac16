import type { DriverEvent, DriverHealth, DriverSendOutcome, DriverSendRequest, MessagesDriver, ReconcileOutcome } from '../driver.js';
import { tmpdir } from 'node:os';
import { BlueBubblesClient } from './bluebubbles-client.js';
import { BLUEBUBBLES_DEFAULTS, InMemoryCursorStore, type BlueBubblesDriverConfig } from './bluebubbles.config.js';
import { ChatGuidResolver } from './chat-guid-resolver.js';
import { CursorPoller } from './cursor-poller.js';
import { EventIntake } from './event-intake.js';
import { HealthProbe } from './health-probe.js';
import { MessageCorrelation, SeenEvents } from './message-correlation.js';
import { MessageSender } from './message-sender.js';
import { PartProgress } from './part-progress.js';
import { PartReconciler } from './part-reconciler.js';
import { PartedSender } from './parted-sender.js';
import { SendReconciler } from './send-reconciler.js';
import { WebhookRegistration } from './webhook-registration.js';

export type { BlueBubblesDriverConfig } from './bluebubbles.config.js';

/**
 * Drives Messages.app through a BlueBubbles server on the same Mac. Events arrive by
 * webhook (the agent routes POST /bluebubbles/webhook to handleWebhook) and by a cursor
 * poll that fills the gaps BlueBubbles leaves by never retrying a webhook.
 */
export class BlueBubblesDriver implements MessagesDriver {
  readonly name = 'bluebubbles' as const;
  private readonly client: BlueBubblesClient;
  private readonly intake: EventIntake;
  private readonly sender: MessageSender;
  private readonly reconciler: SendReconciler;
  private readonly partedSender: PartedSender;
  private readonly partReconciler: PartReconciler;
  private readonly poller: CursorPoller;
  private readonly registration: WebhookRegistration;
  private readonly probe: HealthProbe;
  private readonly requestTimeoutMs: number;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<number>;
  private lastPollError?: string;

  constructor(private readonly config: BlueBubblesDriverConfig) {
    const clock = config.clock ?? (() => new Date());
    this.requestTimeoutMs = config.requestTimeoutMs ?? BLUEBUBBLES_DEFAULTS.requestTimeoutMs;
    this.client = new BlueBubblesClient(config.serverUrl, config.password, config.fetch);
    const chats = new ChatGuidResolver(this.client, this.requestTimeoutMs);
    const correlation = new MessageCorrelation();
    this.intake = new EventIntake(correlation, new SeenEvents(), clock);
    this.sender = new MessageSender(this.client, chats, correlation, config.method, config.sendTimeoutMs);
    const graceMs = config.reconcileGraceMs ?? BLUEBUBBLES_DEFAULTS.reconcileGraceMs;
    this.reconciler = new SendReconciler(this.client, chats, correlation, clock, this.requestTimeoutMs, graceMs);
    const progress = new PartProgress();
    this.partedSender = new PartedSender(this.client, chats, correlation, this.sender, progress, {
      method: config.method,
      sendTimeoutMs: config.sendTimeoutMs,
      requestTimeoutMs: this.requestTimeoutMs,
      limits: {
        maxBytes: config.attachmentMaxBytes ?? BLUEBUBBLES_DEFAULTS.attachmentMaxBytes,
        timeoutMs: config.attachmentDownloadTimeoutMs ?? BLUEBUBBLES_DEFAULTS.attachmentDownloadTimeoutMs,
        maxRedirects: BLUEBUBBLES_DEFAULTS.attachmentMaxRedirects,
        allowPrivateNetworks: config.attachmentAllowPrivateNetworks ?? false,
      },
      tempDir: config.attachmentTempDir ?? tmpdir(),
      ...(config.attachmentFetch ? { downloadFetch: config.attachmentFetch } : {}),
    });
    this.partReconciler = new PartReconciler(this.client, chats, correlation, progress, this.partedSender, {
      clock,
      timeoutMs: this.requestTimeoutMs,
      graceMs,
    });
    const store = config.cursorStore ?? new InMemoryCursorStore();
    this.poller = new CursorPoller(this.client, this.intake, store, clock, this.requestTimeoutMs);
    this.registration = new WebhookRegistration(this.client, config.webhookUrl, this.requestTimeoutMs);
    this.probe = new HealthProbe(this.client, config.method, this.requestTimeoutMs);
  }

  /** Never fails because BlueBubbles is down or refuses the password: health reports that, and the poll retries. */
  async start(onEvent: (event: DriverEvent) => void): Promise<void> {
    this.intake.listen(onEvent);
    await this.poller.initialise();
    await this.registerWebhook();
    if (this.config.pollIntervalMs > 0) {
      this.timer = setInterval(() => void this.pollNow().catch(() => undefined), this.config.pollIntervalMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling?.catch(() => undefined);
    this.intake.listen(undefined);
  }

  /** The body of a BlueBubbles webhook POST. Throws InvalidBlueBubblesWebhook for a malformed body (answer 400). */
  handleWebhook(body: unknown): void {
    this.intake.acceptWebhook(body);
  }

  /** One cursor poll now (the timer calls this; tests too). Concurrent calls share one poll. */
  pollNow(): Promise<number> {
    this.polling ??= this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  async health(): Promise<DriverHealth> {
    const health = await this.probe.probe();
    if (health.signals.bridgeReachable !== true || !health.healthy) return health;
    const problems = [...health.problems];
    if (this.registration.pending) problems.push('bluebubbles webhook not registered');
    if (this.lastPollError) problems.push(`bluebubbles cursor poll failing: ${this.lastPollError}`);
    return { ...health, healthy: problems.length === 0, problems };
  }

  /** Text only: one message/text (or chat/new). With attachments: the text, then each attachment, one part at a time. */
  send(request: DriverSendRequest): Promise<DriverSendOutcome> {
    return hasAttachments(request) ? this.partedSender.send(request) : this.sender.send(request);
  }

  reconcile(request: DriverSendRequest, since: Date): Promise<ReconcileOutcome> {
    return hasAttachments(request) ? this.partReconciler.reconcile(request, since) : this.reconciler.reconcile(request, since);
  }

  /** Private API only: throws when the helper is down rather than guessing. */
  async availability(address: string): Promise<boolean> {
    const envelope = await this.client.get('/handle/availability/imessage', { query: { address }, timeoutMs: this.requestTimeoutMs });
    return (envelope.data as { available?: unknown } | undefined)?.available === true;
  }

  private async pollOnce(): Promise<number> {
    await this.registerWebhook();
    try {
      const seen = await this.poller.pollOnce();
      this.lastPollError = undefined;
      return seen;
    } catch (error) {
      this.lastPollError = (error as Error).message;
      throw error;
    }
  }

  private async registerWebhook(): Promise<void> {
    await this.registration.ensure().catch(() => undefined); // retried on the next poll; health reports it meanwhile
  }
}

function hasAttachments(request: DriverSendRequest): boolean {
  return (request.attachments?.length ?? 0) > 0;
}
