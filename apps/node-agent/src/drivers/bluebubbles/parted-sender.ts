import { openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DriverSendOutcome, DriverSendRequest } from '../driver.js';
import { AttachmentDownloadError, downloadAttachment, type AttachmentDownloadLimits, type DownloadedFile } from './attachment-download.js';
import type { BlueBubblesClient } from './bluebubbles-client.js';
import type { BlueBubblesSendMethod } from './bluebubbles.config.js';
import { BlueBubblesHttpError } from './bluebubbles.errors.js';
import type { ChatGuidResolver } from './chat-guid-resolver.js';
import type { MessageCorrelation } from './message-correlation.js';
import type { MessageSender } from './message-sender.js';
import type { PartProgress } from './part-progress.js';
import { partsOf, type SendPart } from './send-parts.js';
import { outcomeForLookupError, outcomeForSendError, outcomeForSentMessage } from './send-outcome.js';

export interface PartedSendSettings {
  method: BlueBubblesSendMethod;
  sendTimeoutMs: number;
  requestTimeoutMs: number;
  limits: AttachmentDownloadLimits;
  tempDir: string;
  downloadFetch?: typeof fetch;
}

type AttachmentPart = Extract<SendPart, { kind: 'attachment' }>;

/**
 * A message with attachments: downloads every attachment first (so a refused or oversize
 * file fails the message before anything goes out), then sends the text and each
 * attachment in order, one tempGuid per part. Parts this process already saw go out are
 * skipped, so a resume after reconcile never sends a part twice. The message is sent
 * when every part is; the first part whose outcome is not `sent` decides the answer.
 */
export class PartedSender {
  /** Messages whose send (or resume) is still running: reconcile must not resume them too. */
  private readonly running = new Set<string>();

  constructor(
    private readonly client: BlueBubblesClient,
    private readonly chats: ChatGuidResolver,
    private readonly correlation: MessageCorrelation,
    private readonly texts: MessageSender,
    private readonly progress: PartProgress,
    private readonly settings: PartedSendSettings,
  ) {}

  isRunning(messageId: string): boolean {
    return this.running.has(messageId);
  }

  async send(request: DriverSendRequest): Promise<DriverSendOutcome> {
    // The agent's own timeout may give up on a send that is still going; a second run of the same message would double parts.
    if (this.running.has(request.messageId)) return { state: 'unknown', message: 'this message is still being sent' };
    this.running.add(request.messageId);
    try {
      return await this.sendParts(request);
    } finally {
      this.running.delete(request.messageId);
    }
  }

  private async sendParts(request: DriverSendRequest): Promise<DriverSendOutcome> {
    const parts = partsOf(request);
    this.progress.track(request.messageId);
    const directory = await mkdtemp(join(this.settings.tempDir, 'bb-attachments-'));
    try {
      const files = new Map<string, DownloadedFile>();
      for (const part of parts) {
        if (part.kind !== 'attachment' || this.progress.isSent(part.tempGuid)) continue;
        try {
          files.set(
            part.tempGuid,
            await downloadAttachment(
              part.attachment.url,
              directory,
              `part-${part.index}`,
              this.settings.limits,
              this.settings.downloadFetch,
            ),
          );
        } catch (error) {
          return downloadFailure(error, part, this.sentCount(parts));
        }
      }
      let providerId: string | undefined;
      for (const part of parts) {
        if (this.progress.isSent(part.tempGuid)) {
          providerId ??= this.correlation.guidFor(part.tempGuid);
          continue;
        }
        this.progress.attempted(part.tempGuid);
        const file = files.get(part.tempGuid);
        const outcome =
          part.kind === 'text'
            ? await this.texts.send({ messageId: request.messageId, to: request.to, body: part.body })
            : await this.upload(request, part, file as DownloadedFile);
        if (outcome.state !== 'sent') return withPartContext(outcome, part, this.sentCount(parts), parts.length);
        this.progress.sent(part.tempGuid);
        if (outcome.providerId) this.correlation.link(part.tempGuid, outcome.providerId);
        providerId ??= outcome.providerId;
      }
      return { state: 'sent', ...(providerId ? { providerId } : {}) };
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }

  private sentCount(parts: SendPart[]): number {
    return parts.filter((part) => this.progress.isSent(part.tempGuid)).length;
  }

  private async upload(request: DriverSendRequest, part: AttachmentPart, file: DownloadedFile): Promise<DriverSendOutcome> {
    const chat = await this.chatFor(request.to);
    if (typeof chat !== 'string') return chat;
    const type = part.attachment.mimeType ?? file.contentType ?? 'application/octet-stream';
    const form = new FormData();
    form.append('attachment', await openAsBlob(file.path, { type }), part.name);
    form.append('name', part.name);
    form.append('chatGuid', chat);
    form.append('tempGuid', part.tempGuid);
    form.append('method', this.settings.method);
    try {
      const envelope = await this.client.postForm('/message/attachment', form, this.settings.sendTimeoutMs);
      return outcomeForSentMessage(envelope.data);
    } catch (error) {
      // 404 "Chat does not exist!" is answered before anything is sent: look the chat up again next time.
      if (error instanceof BlueBubblesHttpError && error.status === 404 && error.mentions('Chat does not exist')) {
        this.chats.forget(request.to);
        return { state: 'failed', code: 'bridge_error', message: 'bluebubbles lost the chat', retryable: true };
      }
      return outcomeForSendError(error);
    }
  }

  /**
   * The DM to upload into. Without a text part to open it, a new address gets an empty chat
   * from chat/new without `message` (never a made-up text such as the file name); a
   * BlueBubbles that refuses that fails the send, not retryable: send a body with it.
   */
  private async chatFor(address: string): Promise<string | DriverSendOutcome> {
    const cached = this.chats.cached(address);
    if (cached) return cached;
    try {
      const found = await this.chats.lookup(address);
      if (found) return found;
      const envelope = await this.client.post('/chat/new', {
        body: { addresses: [address], method: this.settings.method, service: 'iMessage' },
        timeoutMs: this.settings.requestTimeoutMs,
      });
      const guid = (envelope.data as { guid?: unknown } | undefined)?.guid;
      if (typeof guid !== 'string')
        return { state: 'failed', code: 'bridge_error', message: 'bluebubbles chat/new returned no chat', retryable: true };
      this.chats.remember(address, guid);
      return guid;
    } catch (error) {
      if (error instanceof BlueBubblesHttpError && error.status === 400) {
        return {
          state: 'failed',
          code: 'bridge_error',
          message: `bluebubbles could not open a chat without text (${error.message}); send a body with the first attachments to a new address`,
          retryable: false,
        };
      }
      return outcomeForLookupError(error);
    }
  }
}

function downloadFailure(error: unknown, part: AttachmentPart, alreadySent: number): DriverSendOutcome {
  const reason = error instanceof AttachmentDownloadError ? error.message : `attachment download failed: ${(error as Error)?.message}`;
  const retryable = error instanceof AttachmentDownloadError ? error.retryable : true;
  const sentNote = alreadySent > 0 ? ` (${alreadySent} earlier part(s) had gone out)` : ' (nothing was sent)';
  return { state: 'failed', code: 'bridge_error', message: `attachment ${part.index} "${part.name}": ${reason}${sentNote}`, retryable };
}

function withPartContext(outcome: DriverSendOutcome, part: SendPart, sent: number, total: number): DriverSendOutcome {
  if (sent === 0 || outcome.state === 'sent') return outcome;
  const label = part.kind === 'text' ? 'text' : `attachment ${part.index}`;
  return { ...outcome, message: `${label} (${sent} of ${total} parts already out): ${outcome.message}` };
}
