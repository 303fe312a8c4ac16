import type { DriverSendRequest, ReconcileOutcome } from '../driver.js';
import type { BlueBubblesClient } from './bluebubbles-client.js';
import { BlueBubblesMessage } from './bluebubbles.schema.js';
import type { ChatGuidResolver } from './chat-guid-resolver.js';
import type { MessageCorrelation } from './message-correlation.js';
import type { PartProgress } from './part-progress.js';
import type { PartedSender } from './parted-sender.js';
import { partsOf, type SendPart } from './send-parts.js';
import { outcomeForSentMessage } from './send-outcome.js';

const CLOCK_SLACK_MS = 30_000;
const QUERY_LIMIT = 1_000;

export interface PartReconcileTiming {
  clock: () => Date;
  timeoutMs: number;
  graceMs: number;
}

/**
 * Reconcile for a message with attachments: looks up every part in the chat's history
 * (by the guid its tempGuid was linked to, else by text or attachment name that no other
 * send has claimed) before anything is sent again. All found → sent. Parts missing for
 * certain (never attempted by this process, or not there after the grace) are then sent
 * by resuming, which skips every part found; nothing found at all → not_sent. While a
 * part that may still be going out is missing → undefined (ask later).
 */
export class PartReconciler {
  constructor(
    private readonly client: BlueBubblesClient,
    private readonly chats: ChatGuidResolver,
    private readonly correlation: MessageCorrelation,
    private readonly progress: PartProgress,
    private readonly sender: PartedSender,
    private readonly timing: PartReconcileTiming,
  ) {}

  async reconcile(request: DriverSendRequest, since: Date): Promise<ReconcileOutcome> {
    if (this.sender.isRunning(request.messageId)) return undefined; // the running send decides
    const parts = partsOf(request);
    let found: Map<string, BlueBubblesMessage>;
    try {
      found = await this.find(request, parts, since);
    } catch {
      return undefined; // BlueBubbles cannot tell us right now
    }
    for (const part of parts) {
      const message = found.get(part.tempGuid);
      if (!message) continue;
      this.correlation.link(part.tempGuid, message.guid);
      const outcome = outcomeForSentMessage(message);
      if (outcome.state === 'failed') return outcome; // Messages recorded an error for this part
      this.progress.sent(part.tempGuid);
    }
    const missing = parts.filter((part) => !this.progress.isSent(part.tempGuid));
    if (missing.length === 0) {
      const first = parts[0] && this.correlation.guidFor(parts[0].tempGuid);
      return { state: 'sent', ...(first ? { providerId: first } : {}) };
    }
    const pastGrace = this.timing.clock().getTime() - since.getTime() >= this.timing.graceMs;
    const certainlyMissing = (part: SendPart) =>
      pastGrace || (this.progress.tracked(request.messageId) && !this.progress.wasAttempted(part.tempGuid));
    if (!missing.every(certainlyMissing)) return undefined;
    if (missing.length === parts.length) return { state: 'not_sent' };
    return this.sender.send(request);
  }

  private async find(request: DriverSendRequest, parts: SendPart[], since: Date): Promise<Map<string, BlueBubblesMessage>> {
    const found = new Map<string, BlueBubblesMessage>();
    const chatGuid = this.chats.cached(request.to) ?? (await this.chats.lookup(request.to));
    if (!chatGuid) return found;
    const envelope = await this.client.post('/message/query', {
      body: { chatGuid, after: since.getTime() - CLOCK_SLACK_MS, with: ['chat', 'attachment'], limit: QUERY_LIMIT, sort: 'ASC' },
      timeoutMs: this.timing.timeoutMs,
    });
    const outbound = (Array.isArray(envelope.data) ? envelope.data : [])
      .map((candidate) => BlueBubblesMessage.safeParse(candidate))
      .flatMap((parsed) => (parsed.success && parsed.data.isFromMe ? [parsed.data] : []));
    const claimed = new Set<string>();
    const take = (part: SendPart, message: BlueBubblesMessage | undefined) => {
      if (!message) return;
      found.set(part.tempGuid, message);
      claimed.add(message.guid);
    };
    // Exact links first, so a name or text match never takes a message another part owns.
    for (const part of parts) {
      const known = this.correlation.guidFor(part.tempGuid);
      take(
        part,
        outbound.find((message) => message.guid === known || message.tempGuid === part.tempGuid),
      );
    }
    const unclaimed = (message: BlueBubblesMessage) =>
      !claimed.has(message.guid) && this.correlation.messageIdFor(message.guid) === undefined;
    for (const part of parts) {
      if (found.has(part.tempGuid)) continue;
      take(
        part,
        outbound.find((message) => unclaimed(message) && matches(part, message)),
      );
    }
    return found;
  }
}

function matches(part: SendPart, message: BlueBubblesMessage): boolean {
  if (part.kind === 'text') return message.text === part.body;
  return (message.attachments ?? []).some((attachment) => attachment.transferName === part.name);
}
