import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the receiver hands each webhook body to (a BlueBubblesDriver, or none yet). */
export interface WebhookTarget {
  handleWebhook(body: unknown): void;
}

export interface DriverWebhookReceiver {
  /** Where BlueBubbles should post: http://127.0.0.1:<port>/bluebubbles/webhook. */
  url: string;
  close(): Promise<void>;
}

/**
 * Stands in for the agent's HTTP route POST /bluebubbles/webhook → driver.handleWebhook, so a
 * driver under test receives a fake BlueBubbles' webhooks over real HTTP. `target` is read per
 * request: the test may replace or drop its driver between webhooks.
 */
export async function startDriverWebhookReceiver(target: () => WebhookTarget | undefined): Promise<DriverWebhookReceiver> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        target()?.handleWebhook(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bluebubbles/webhook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
