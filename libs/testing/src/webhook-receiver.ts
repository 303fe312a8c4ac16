import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The exact bytes received, as a string: signatures are checked over these. */
  body: string;
  /** The status this receiver answered. */
  answeredWith: number;
}

/**
 * A real HTTP server on 127.0.0.1 (ephemeral port) that records what it receives and
 * answers with scripted statuses: `script([500, 200])` answers 500 once, then 200.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private scripted: number[] = [];
  private fallback = 200;
  private waiters: Array<{ count: number; resolve: () => void }> = [];

  private readonly server: Server;
  /** Where to subscribe: http://127.0.0.1:<port>/hook. */
  url = '';

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => this.record(request.headers, Buffer.concat(chunks).toString('utf8'), response));
    });
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;
    return receiver;
  }

  /** The next answers, in order; afterwards `otherwise` (default 200). */
  script(statuses: number[], otherwise = 200): void {
    this.scripted = [...statuses];
    this.fallback = otherwise;
  }

  /** Resolves once at least `count` requests arrived in total (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedWebhook[]> {
    if (this.received.length >= count) return Promise.resolve(this.received);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`expected ${count} webhooks, got ${this.received.length}`)), timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.received);
        },
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private record(headers: IncomingHttpHeaders, body: string, response: ServerResponse): void {
    const status = this.scripted.shift() ?? this.fallback;
    response.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
    this.received.push({ headers, body, answeredWith: status });
    const ready = this.waiters.filter((waiter) => this.received.length >= waiter.count);
    this.waiters = this.waiters.filter((waiter) => this.received.length < waiter.count);
    ready.forEach((waiter) => waiter.resolve());
  }
}

/** Polls `probe` until it returns a truthy value (for state another process changes); no fixed sleeps. */
export async function pollUntil<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
