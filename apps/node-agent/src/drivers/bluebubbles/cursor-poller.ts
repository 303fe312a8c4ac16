import type { BlueBubblesClient } from './bluebubbles-client.js';
import type { CursorStore } from './bluebubbles.config.js';
import { BlueBubblesMessage } from './bluebubbles.schema.js';
import type { EventIntake } from './event-intake.js';

const PAGE = 500;
/** Bounds one catch-up so a tick never runs for long; the next tick goes on. */
const MAX_PAGES_PER_POLL = 10;

/**
 * BlueBubbles never retries a webhook, so every lost one would be a lost inbound message.
 * This reads message/query after a persisted cursor (dateCreated, inclusive upstream) and
 * feeds the same intake as the webhooks, whose dedupe drops what already arrived.
 */
export class CursorPoller {
  constructor(
    private readonly client: BlueBubblesClient,
    private readonly intake: EventIntake,
    private readonly store: CursorStore,
    private readonly clock: () => Date,
    private readonly timeoutMs: number,
  ) {}

  /** On first start there is no history to fill: begin at now. */
  async initialise(): Promise<void> {
    if ((await this.store.load()) === undefined) await this.store.save(this.clock().getTime());
  }

  /** Reads everything after the cursor; returns how many messages it looked at. */
  async pollOnce(): Promise<number> {
    let cursor = (await this.store.load()) ?? this.clock().getTime();
    let seen = 0;
    for (let page = 0; page < MAX_PAGES_PER_POLL; page += 1) {
      const envelope = await this.client.post('/message/query', {
        body: { after: cursor, sort: 'ASC', limit: PAGE, offset: 0, with: ['chat', 'handle'] },
        timeoutMs: this.timeoutMs,
      });
      const messages = (Array.isArray(envelope.data) ? envelope.data : [])
        .map((candidate) => BlueBubblesMessage.safeParse(candidate))
        .flatMap((parsed) => (parsed.success ? [parsed.data] : []));
      for (const message of messages) this.intake.acceptMessage(message);
      seen += messages.length;
      const newest = Math.max(cursor, ...messages.map((message) => message.dateCreated));
      if (newest > cursor) await this.store.save(newest);
      // A full page whose newest date did not move would repeat forever: stop and let dedupe absorb it.
      if (messages.length < PAGE || newest === cursor) break;
      cursor = newest;
    }
    return seen;
  }
}
