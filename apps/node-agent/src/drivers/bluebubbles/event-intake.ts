import type { DriverEvent } from '../driver.js';
import { BlueBubblesWebhookEvent, type BlueBubblesMessage } from './bluebubbles.schema.js';
import { eventsForMessage, eventsForWebhook, type KeyedDriverEvent } from './event-mapper.js';
import type { MessageCorrelation, SeenEvents } from './message-correlation.js';

export class InvalidBlueBubblesWebhook extends Error {
  constructor(detail: string) {
    super(`not a BlueBubbles webhook body: ${detail}`);
    this.name = 'InvalidBlueBubblesWebhook';
  }
}

/**
 * The one door for everything BlueBubbles tells us, pushed (webhooks) or pulled (the cursor
 * poll): learns guid ↔ message id links, maps, drops what was already emitted, emits.
 */
export class EventIntake {
  private listener?: (event: DriverEvent) => void;

  constructor(
    private readonly correlation: MessageCorrelation,
    private readonly seen: SeenEvents,
    private readonly clock: () => Date,
  ) {}

  listen(listener: ((event: DriverEvent) => void) | undefined): void {
    this.listener = listener;
  }

  acceptWebhook(body: unknown): void {
    const parsed = BlueBubblesWebhookEvent.safeParse(body);
    if (!parsed.success) throw new InvalidBlueBubblesWebhook(parsed.error.issues[0]?.message ?? 'invalid');
    const message = (parsed.data.data ?? {}) as { guid?: unknown; tempGuid?: unknown; isFromMe?: unknown };
    if (message.isFromMe === true && typeof message.tempGuid === 'string' && typeof message.guid === 'string') {
      this.correlation.link(message.tempGuid, message.guid);
    }
    this.emit(eventsForWebhook(parsed.data, (guid) => this.correlation.messageIdFor(guid), this.clock()));
  }

  acceptMessage(message: BlueBubblesMessage): void {
    this.emit(eventsForMessage(message, (guid) => this.correlation.messageIdFor(guid)));
  }

  private emit(events: KeyedDriverEvent[]): void {
    const listener = this.listener;
    // Before start() nothing is marked seen, so the cursor poll delivers it later.
    if (!listener) return;
    for (const { key, event } of events) {
      if (key === undefined || this.seen.firstTime(key)) listener(event);
    }
  }
}
