import type { DriverSendOutcome, DriverSendRequest } from '../driver.js';
import type { BlueBubblesClient } from './bluebubbles-client.js';
import type { BlueBubblesSendMethod } from './bluebubbles.config.js';
import { BlueBubblesHttpError } from './bluebubbles.errors.js';
import type { ChatGuidResolver } from './chat-guid-resolver.js';
import type { MessageCorrelation } from './message-correlation.js';
import { outcomeForLookupError, outcomeForSendError, outcomeForSentMessage } from './send-outcome.js';

/**
 * Sends one text: to the known (or classic) DM guid with message/text; when that chat
 * does not exist, to the real guid found by chat/query; failing that, chat/new. The
 * control plane's message id is the tempGuid so the webhooks and reconcile can find it.
 */
export class MessageSender {
  constructor(
    private readonly client: BlueBubblesClient,
    private readonly chats: ChatGuidResolver,
    private readonly correlation: MessageCorrelation,
    private readonly method: BlueBubblesSendMethod,
    private readonly sendTimeoutMs: number,
  ) {}

  async send(request: DriverSendRequest): Promise<DriverSendOutcome> {
    // Attachments go through PartedSender, which calls this for the text part only.
    if (request.body === undefined) {
      return { state: 'failed', code: 'bridge_error', message: 'a text send needs a body', retryable: false };
    }
    const body = request.body;
    const first = await this.attempt(() => this.sendText(request, this.chats.guess(request.to), body));
    if (first !== 'chat-missing') return first;
    this.chats.forget(request.to);

    let chatGuid: string | undefined;
    try {
      chatGuid = await this.chats.lookup(request.to);
    } catch (error) {
      return outcomeForLookupError(error);
    }
    const second = await this.attempt(() =>
      chatGuid ? this.sendText(request, chatGuid, body) : this.createChatWithMessage(request, body),
    );
    return second === 'chat-missing'
      ? { state: 'failed', code: 'bridge_error', message: 'bluebubbles lost the chat', retryable: true }
      : second;
  }

  private async attempt(call: () => Promise<DriverSendOutcome>): Promise<DriverSendOutcome | 'chat-missing'> {
    try {
      return await call();
    } catch (error) {
      // 404 "Chat does not exist!" is answered before anything is sent.
      if (error instanceof BlueBubblesHttpError && error.status === 404 && error.mentions('Chat does not exist')) return 'chat-missing';
      return outcomeForSendError(error);
    }
  }

  private async sendText(request: DriverSendRequest, chatGuid: string, body: string): Promise<DriverSendOutcome> {
    const envelope = await this.client.post('/message/text', {
      body: { chatGuid, message: body, tempGuid: request.messageId, method: this.method },
      timeoutMs: this.sendTimeoutMs,
    });
    this.chats.remember(request.to, chatGuid);
    return this.settled(request, outcomeForSentMessage(envelope.data));
  }

  private async createChatWithMessage(request: DriverSendRequest, body: string): Promise<DriverSendOutcome> {
    const envelope = await this.client.post('/chat/new', {
      body: { addresses: [request.to], message: body, method: this.method, service: 'iMessage', tempGuid: request.messageId },
      timeoutMs: this.sendTimeoutMs,
    });
    const chat = (envelope.data ?? {}) as { guid?: unknown; messages?: unknown; lastMessage?: unknown };
    if (typeof chat.guid === 'string') this.chats.remember(request.to, chat.guid);
    const message = Array.isArray(chat.messages) ? chat.messages[0] : chat.lastMessage;
    return this.settled(request, outcomeForSentMessage(message));
  }

  private settled(request: DriverSendRequest, outcome: DriverSendOutcome): DriverSendOutcome {
    if (outcome.state === 'sent' && outcome.providerId) this.correlation.link(request.messageId, outcome.providerId);
    return outcome;
  }
}
