import type { DriverSendRequest, ReconcileOutcome } from '../driver.js';
import type { BlueBubblesClient } from './bluebubbles-client.js';
import { BlueBubblesMessage } from './bluebubbles.schema.js';
import type { ChatGuidResolver } from './chat-guid-resolver.js';
import type { MessageCorrelation } from './message-correlation.js';
import { outcomeForSentMessage } from './send-outcome.js';

/** The agent's and the Mac's clocks differ a little; look a bit before `since`. */
const CLOCK_SLACK_MS = 30_000;
const QUERY_LIMIT = 200;

/**
 * After an `unknown` send: finds the message in BlueBubbles (message/query on the chat)
 * by tempGuid, or, because chat.db does not store tempGuids, by an outbound message with
 * the same text that no other send has claimed. Never resends; the agent decides that.
 */
export class SendReconciler {
  constructor(
    private readonly client: BlueBubblesClient,
    private readonly chats: ChatGuidResolver,
    private readonly correlation: MessageCorrelation,
    private readonly clock: () => Date,
    private readonly timeoutMs: number,
    private readonly graceMs: number,
  ) {}

  async reconcile(request: DriverSendRequest, since: Date): Promise<ReconcileOutcome> {
    try {
      const found = await this.find(request, since);
      if (found) {
        this.correlation.link(request.messageId, found.guid);
        return outcomeForSentMessage(found);
      }
    } catch {
      return undefined; // BlueBubbles cannot tell us right now; ask again later
    }
    return this.notFound(since);
  }

  private async find(request: DriverSendRequest, since: Date): Promise<BlueBubblesMessage | undefined> {
    const chatGuid = this.chats.cached(request.to) ?? (await this.chats.lookup(request.to));
    if (!chatGuid) return undefined;
    const envelope = await this.client.post('/message/query', {
      body: { chatGuid, after: since.getTime() - CLOCK_SLACK_MS, with: ['chat'], limit: QUERY_LIMIT, sort: 'ASC' },
      timeoutMs: this.timeoutMs,
    });
    const outbound = (Array.isArray(envelope.data) ? envelope.data : [])
      .map((candidate) => BlueBubblesMessage.safeParse(candidate))
      .flatMap((parsed) => (parsed.success && parsed.data.isFromMe ? [parsed.data] : []));
    const knownGuid = this.correlation.guidFor(request.messageId);
    return (
      outbound.find((message) => message.guid === knownGuid || message.tempGuid === request.messageId) ??
      outbound.find(
        (message) =>
          request.body !== undefined &&
          message.text === request.body &&
          message.dateCreated >= since.getTime() - CLOCK_SLACK_MS &&
          this.correlation.messageIdFor(message.guid) === undefined,
      )
    );
  }

  /**
   * Not there: too early to tell while BlueBubbles may still be sending. After the grace
   * (longer than BlueBubbles' own ~2 min apple-script wait) Messages never took it.
   */
  private notFound(since: Date): ReconcileOutcome {
    return this.clock().getTime() - since.getTime() < this.graceMs ? undefined : { state: 'not_sent' };
  }
}
