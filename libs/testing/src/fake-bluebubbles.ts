import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseMultipart } from './multipart-form.js';

/**
 * A BlueBubbles server (v1.9.9 REST API, see shared/bluebubbles.md) for end-to-end tests:
 * real HTTP on 127.0.0.1:0, the same envelope, auth and quirks, with knobs to provoke
 * the failures seen in the field. Messages "go out" the moment they are recorded.
 */
export interface FakeMessage {
  guid: string;
  text: string | null;
  handle: { address: string; service: string } | null;
  isFromMe: boolean;
  dateCreated: number;
  dateDelivered: number | null;
  dateRead: number | null;
  error: number;
  attachments: unknown[];
  associatedMessageGuid: string | null;
  associatedMessageType: string | null;
  threadOriginatorGuid: string | null;
  chatGuid: string;
  /** Only the send response and the first new-message webhook carry it (chat.db does not store it). */
  tempGuid?: string;
}

export interface FakeChat {
  guid: string;
  address: string;
}

/** One message/attachment upload as the fake received it. */
export interface FakeUpload {
  chatGuid: string;
  tempGuid?: string;
  name: string;
  /** The file part's own filename and bytes. */
  filename?: string;
  size: number;
  data: Buffer;
  method?: string;
  /** The message it became (undefined when refused). */
  guid?: string;
}

export interface FakeWebhook {
  id: number;
  url: string;
  events: string[];
}

type Reply = { status: number; body: unknown };

const HELPER_DOWN = 'iMessage Private API Helper is not connected!';

const ok = (message: string, data?: unknown, metadata?: unknown): Reply => ({
  status: 200,
  body: { status: 200, message, data, metadata },
});
const fail = (status: number, type: string, message: string, data?: unknown): Reply => ({
  status,
  body: { status, message, error: { type, message }, ...(data === undefined ? {} : { data }) },
});

export class FakeBlueBubbles {
  readonly password: string;
  url = '';
  /** macOS 26 stores DMs as `any;-;…`: requests for `iMessage;-;…` then get 404. */
  guidStyle: 'iMessage' | 'any' = 'iMessage';
  privateApi = true;
  helperConnected = true;
  detectedIcloud = 'line@icloud.com';
  /** Empty string = signed out of iMessage, as upstream reports it. */
  detectedImessage = '+15550000000';
  macosTimeSync: number | null = 0.2;
  /** How long message/text and chat/new take to answer after the message went out. */
  sendDelayMs = 0;
  /** The next N sends answer 500 "Message Send Error" although the message went out. */
  failAfterSendCount = 0;
  /** Uploads (1-based, counting every message/attachment call) that answer 500 "Message Send Error" although the file went out. */
  readonly failAfterUploadNumbers = new Set<number>();
  /** Recipients without iMessage: their messages get error 22. */
  readonly withoutImessage = new Set<string>();
  /** Addresses for which the availability check says false. */
  readonly unavailable = new Set<string>();
  /** The next N webhook deliveries are lost (upstream never retries). */
  dropWebhookCount = 0;

  readonly chats: FakeChat[] = [];
  readonly messages: FakeMessage[] = [];
  readonly webhooks: FakeWebhook[] = [];
  readonly requests: { method: string; path: string; body: unknown }[] = [];
  readonly uploads: FakeUpload[] = [];
  readonly deliveredWebhooks: { url: string; type: string; data: unknown }[] = [];

  private server?: Server;
  private readonly inFlight = new Set<string>();
  private readonly stopping = new AbortController();
  private deliveries: Promise<void> = Promise.resolve();
  private lastDate = 0;

  private readonly now: () => number;

  constructor(options: { password?: string; now?: () => number } = {}) {
    this.password = options.password ?? `bb-${randomUUID()}`;
    this.now = options.now ?? Date.now;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.deliveries;
  }

  /** Outbound messages in the order they went out. */
  sent(): FakeMessage[] {
    return this.messages.filter((message) => message.isFromMe);
  }

  /** Resolves once every webhook queued so far has been delivered (or dropped). */
  webhooksSettled(): Promise<void> {
    return this.deliveries;
  }

  addChat(address: string): FakeChat {
    const existing = this.chatFor(address);
    if (existing) return existing;
    const chat = { guid: `${this.guidStyle};-;${address}`, address };
    this.chats.push(chat);
    return chat;
  }

  injectInbound(from: string, text: string): FakeMessage {
    const message = this.record(this.addChat(from), text, false, 0);
    this.emit('new-message', this.serialize(message));
    return message;
  }

  markDelivered(guid: string): void {
    this.update(guid, (message) => (message.dateDelivered = this.nextDate()));
  }

  markRead(guid: string): void {
    this.update(guid, (message) => {
      message.dateDelivered ??= this.nextDate();
      message.dateRead = this.nextDate();
    });
  }

  removeAliases(aliases: string[]): void {
    this.emit('imessage-aliases-removed', { aliases });
  }

  private update(guid: string, change: (message: FakeMessage) => void): void {
    const message = this.messages.find((candidate) => candidate.guid === guid);
    if (!message) throw new Error(`fake bluebubbles: no message ${guid}`);
    change(message);
    // updated-message carries no chats upstream: receivers correlate by guid
    const { chats: _chats, ...withoutChats } = this.serialize(message);
    this.emit('updated-message', withoutChats);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let reply: Reply;
    try {
      const url = new URL(req.url ?? '/', 'http://fake');
      const body = await readBody(req);
      this.requests.push({ method: req.method ?? 'GET', path: url.pathname, body });
      const secret = url.searchParams.get('password') ?? url.searchParams.get('guid') ?? url.searchParams.get('token');
      reply =
        secret === this.password
          ? await this.route(req.method ?? 'GET', url, body)
          : fail(401, 'Authentication Error', 'You are not authorized to access this resource');
    } catch (error) {
      reply = fail(400, 'Validation Error', (error as Error).message);
    }
    if (res.destroyed) return;
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
  }

  private async route(method: string, url: URL, body: any): Promise<Reply> {
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const key = `${method} ${path}`;
    if (key === 'GET /ping') return ok('Ping received!', 'pong');
    if (key === 'GET /server/info') return ok('Successfully fetched server info', this.serverInfo());
    if (key === 'POST /chat/new') return this.newChat(body);
    if (key === 'POST /chat/query') return this.queryChats(body);
    if (key === 'POST /message/text') return this.sendText(body);
    if (key === 'POST /message/attachment') return this.sendAttachment(body);
    if (key === 'POST /message/query') return this.queryMessages(body);
    if (key === 'GET /handle/availability/imessage') return this.availability(url.searchParams.get('address'));
    if (key === 'GET /webhook') return ok('Successfully fetched webhooks!', this.webhooks);
    if (key === 'POST /webhook') return this.registerWebhook(body);
    return fail(404, 'Server Error', 'Route not found');
  }

  private serverInfo() {
    return {
      computer_id: 'fake-mac',
      os_version: this.guidStyle === 'any' ? '26.0' : '15.5',
      server_version: '1.9.9',
      private_api: this.privateApi,
      helper_connected: this.privateApi && this.helperConnected,
      proxy_service: 'lan-url',
      detected_icloud: this.detectedIcloud,
      detected_imessage: this.detectedImessage,
      macos_time_sync: this.macosTimeSync,
      local_ipv4s: ['127.0.0.1'],
      local_ipv6s: [],
    };
  }

  private helperDown(method: unknown): boolean {
    return method === 'private-api' && !(this.privateApi && this.helperConnected);
  }

  private async newChat(body: any): Promise<Reply> {
    const addresses: unknown = body?.addresses;
    if (!Array.isArray(addresses) || addresses.length !== 1 || typeof addresses[0] !== 'string') {
      return fail(400, 'Validation Error', 'A single address is required');
    }
    if (this.helperDown(body.method)) return fail(500, 'iMessage Error', HELPER_DOWN);
    const chat = this.addChat(addresses[0]);
    if (typeof body.message !== 'string') return ok('Successfully created chat!', this.serializeChat(chat));
    return this.sendInto(chat, body.message, body.tempGuid, (message) =>
      ok('Successfully created chat!', { ...this.serializeChat(chat), messages: [message] }),
    );
  }

  private async sendText(body: any): Promise<Reply> {
    if (typeof body?.chatGuid !== 'string' || typeof body.message !== 'string') {
      return fail(400, 'Validation Error', 'chatGuid and message are required');
    }
    const method = body.method ?? 'apple-script';
    if (method === 'apple-script' && typeof body.tempGuid !== 'string') return fail(400, 'Validation Error', 'A tempGuid is required');
    if (this.helperDown(method)) return fail(500, 'iMessage Error', HELPER_DOWN);
    const chat = this.chats.find((candidate) => candidate.guid === body.chatGuid);
    if (!chat) return fail(404, 'Database Error', 'Chat does not exist!');
    return this.sendInto(chat, body.message, body.tempGuid, (message) => ok('Message sent!', message));
  }

  /** Multipart `attachment` file + `name`, `chatGuid`, `tempGuid`, `method` (upstream's field names). */
  private async sendAttachment(body: any): Promise<Reply> {
    const fields = body?.fields as Record<string, string> | undefined;
    const file = (body?.files as { name: string; filename?: string; data: Buffer }[] | undefined)?.find(
      (part) => part.name === 'attachment',
    );
    if (!fields || !file) return fail(400, 'Validation Error', 'An attachment file is required');
    const { chatGuid, tempGuid, method = 'apple-script' } = fields;
    const name = fields.name ?? file.filename;
    if (typeof chatGuid !== 'string' || typeof name !== 'string') return fail(400, 'Validation Error', 'chatGuid and name are required');
    if (method === 'apple-script' && typeof tempGuid !== 'string') return fail(400, 'Validation Error', 'A tempGuid is required');
    if (this.helperDown(method)) return fail(500, 'iMessage Error', HELPER_DOWN);
    const chat = this.chats.find((candidate) => candidate.guid === chatGuid);
    if (!chat) return fail(404, 'Database Error', 'Chat does not exist!');
    const upload: FakeUpload = {
      chatGuid,
      name,
      size: file.data.length,
      data: file.data,
      method,
      ...(tempGuid ? { tempGuid } : {}),
      ...(file.filename ? { filename: file.filename } : {}),
    };
    this.uploads.push(upload);
    const failAfter = this.failAfterUploadNumbers.has(this.uploads.length);
    const attachment = { guid: randomUUID().toUpperCase(), transferName: name, totalBytes: file.data.length, mimeType: null };
    return this.sendInto(
      chat,
      '\ufffc',
      tempGuid,
      (message) => {
        upload.guid = (message as { guid: string }).guid;
        return ok('Attachment sent!', message);
      },
      { attachment, failAfter },
    );
  }

  /** Records the message (it has gone out), fires both new-message webhooks, then answers. */
  private async sendInto(
    chat: FakeChat,
    text: string,
    tempGuid: unknown,
    success: (message: unknown) => Reply,
    options: { attachment?: unknown; failAfter?: boolean } = {},
  ): Promise<Reply> {
    const temp = typeof tempGuid === 'string' ? tempGuid : undefined;
    if (temp && this.inFlight.has(temp)) return fail(400, 'Validation Error', 'Message is already queued to be sent!');
    if (temp) this.inFlight.add(temp);
    try {
      const message = this.record(chat, text, true, this.withoutImessage.has(chat.address) ? 22 : 0);
      if (options.attachment) message.attachments.push(options.attachment);
      this.emit('new-message', { ...this.serialize(message), tempGuid: temp });
      this.emit('new-message', this.serialize(message));
      if (message.error !== 0) this.emit('message-send-error', this.serialize(message));
      if (this.sendDelayMs > 0) await sleep(this.sendDelayMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      const serialized = { ...this.serialize(message), tempGuid: temp };
      if (message.error !== 0) {
        return fail(500, 'iMessage Error', 'Message sent with an error. See attached message', serialized);
      }
      if (options.failAfter) return fail(500, 'iMessage Error', 'Message Send Error');
      if (this.failAfterSendCount > 0) {
        this.failAfterSendCount -= 1;
        return fail(500, 'iMessage Error', 'Message Send Error');
      }
      return success(serialized);
    } finally {
      if (temp) this.inFlight.delete(temp);
    }
  }

  private queryChats(body: any): Reply {
    const offset = Number(body?.offset ?? 0);
    const limit = Number(body?.limit ?? 1000);
    const withParticipants = Array.isArray(body?.with) && body.with.includes('participants');
    const page = this.chats.slice(offset, offset + limit).map((chat) => this.serializeChat(chat, withParticipants));
    return ok('Successfully fetched chats!', page, { count: page.length, total: this.chats.length, offset, limit });
  }

  private queryMessages(body: any): Reply {
    const limit = Number(body?.limit ?? 100);
    if (limit > 1000) return fail(400, 'Validation Error', 'Limit must be between 1 and 1000');
    const offset = Number(body?.offset ?? 0);
    const withChats = Array.isArray(body?.with) && (body.with.includes('chat') || body.with.includes('chats'));
    let found = this.messages.filter(
      (message) =>
        (body?.chatGuid === undefined || message.chatGuid === body.chatGuid) &&
        (body?.after === undefined || message.dateCreated >= Number(body.after)) &&
        (body?.before === undefined || message.dateCreated <= Number(body.before)),
    );
    if (String(body?.sort ?? 'DESC').toUpperCase() === 'DESC') found = found.reverse();
    const page = found.slice(offset, offset + limit).map((message) => {
      const { chats, ...rest } = this.serialize(message);
      return withChats ? { ...rest, chats } : rest;
    });
    return ok('Successfully fetched messages!', page, { offset, limit, total: found.length, count: page.length });
  }

  private availability(address: string | null): Reply {
    if (!address) return fail(400, 'Validation Error', 'An address is required');
    if (this.helperDown('private-api')) return fail(500, 'iMessage Error', HELPER_DOWN);
    return ok('Successfully determined iMessage availability!', { available: !this.unavailable.has(address) });
  }

  private registerWebhook(body: any): Reply {
    if (typeof body?.url !== 'string') return fail(400, 'Validation Error', 'A URL is required');
    // Upstream keeps duplicates: a second registration means every event arrives twice.
    const webhook = { id: this.webhooks.length + 1, url: body.url, events: Array.isArray(body.events) ? body.events : ['*'] };
    this.webhooks.push(webhook);
    return ok('Successfully created webhook!', webhook);
  }

  private chatFor(address: string): FakeChat | undefined {
    return this.chats.find((chat) => chat.address === address);
  }

  private nextDate(): number {
    this.lastDate = Math.max(this.now(), this.lastDate + 1);
    return this.lastDate;
  }

  private record(chat: FakeChat, text: string, isFromMe: boolean, error: number): FakeMessage {
    const message: FakeMessage = {
      guid: randomUUID().toUpperCase(),
      text,
      handle: { address: chat.address, service: 'iMessage' },
      isFromMe,
      dateCreated: this.nextDate(),
      dateDelivered: null,
      dateRead: null,
      error,
      attachments: [],
      associatedMessageGuid: null,
      associatedMessageType: null,
      threadOriginatorGuid: null,
      chatGuid: chat.guid,
    };
    this.messages.push(message);
    return message;
  }

  private serialize(message: FakeMessage) {
    const { chatGuid, tempGuid: _temp, ...rest } = message;
    const chat = this.chats.find((candidate) => candidate.guid === chatGuid);
    return { ...rest, chats: chat ? [this.serializeChat(chat)] : [] };
  }

  private serializeChat(chat: FakeChat, withParticipants = true) {
    const base = { guid: chat.guid, chatIdentifier: chat.address, style: 45, displayName: '' };
    return withParticipants ? { ...base, participants: [{ address: chat.address, service: 'iMessage' }] } : base;
  }

  private emit(type: string, data: unknown): void {
    for (const webhook of this.webhooks) {
      if (!webhook.events.includes('*') && !webhook.events.includes(type)) continue;
      if (this.dropWebhookCount > 0) {
        this.dropWebhookCount -= 1;
        continue;
      }
      this.deliveries = this.deliveries.then(() => this.deliver(webhook.url, type, data));
    }
  }

  /** One attempt, no retry, errors swallowed: exactly what upstream does. */
  private async deliver(url: string, type: string, data: unknown): Promise<void> {
    try {
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type, data }),
        signal: AbortSignal.timeout(5_000),
      });
      this.deliveredWebhooks.push({ url, type, data });
    } catch {
      // lost
    }
  }
}

/** JSON, or for multipart/form-data `{fields, files}` (files keep their bytes). */
async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.toLowerCase().startsWith('multipart/form-data')) {
    const parts = parseMultipart(raw, contentType);
    const fields: Record<string, string> = {};
    for (const part of parts) if (part.filename === undefined) fields[part.name] = part.data.toString('utf8');
    return { fields, files: parts.filter((part) => part.filename !== undefined) };
  }
  const text = raw.toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('Request body is not valid JSON');
  }
}
