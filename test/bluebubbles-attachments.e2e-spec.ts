import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BlueBubblesDriver, type BlueBubblesDriverConfig } from '../apps/node-agent/src/drivers/bluebubbles/bluebubbles.driver.js';
import type { DriverEvent, DriverSendRequest } from '../apps/node-agent/src/drivers/driver.js';
import { startDriverWebhookReceiver, type DriverWebhookReceiver } from '@bridgefleet/testing/driver-webhook-receiver.js';
import { FakeBlueBubbles } from '@bridgefleet/testing/fake-bluebubbles.js';

/** Deterministic file content, so the bytes BlueBubbles received can be compared. */
const bytesOf = (size: number, seed: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + seed) % 251));

/**
 * Serves attachments: /file/<size>/<seed>/<name> (with Content-Length), /chunked/<size>
 * (no Content-Length), /hops/<n>/<size> (n redirects, then the file), /to-file (a redirect
 * to file:///etc/passwd). Counts every request.
 */
async function startFileServer(): Promise<{ base: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    const [, kind, a, b] = path.split('/');
    if (kind === 'file') {
      const body = bytesOf(Number(a), Number(b));
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length }).end(body);
    } else if (kind === 'chunked') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const body = bytesOf(Number(a), 1);
      for (let offset = 0; offset < body.length; offset += 8_192) res.write(body.subarray(offset, offset + 8_192));
      res.end();
    } else if (kind === 'hops') {
      const left = Number(a);
      res.writeHead(302, { location: left > 1 ? `/hops/${left - 1}/${b}` : `/file/${b}/7/hopped.png` }).end();
    } else if (kind === 'to-file') {
      res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('bluebubbles driver sends attachments (fake BlueBubbles and a file server over HTTP)', () => {
  let fake: FakeBlueBubbles;
  let files: Awaited<ReturnType<typeof startFileServer>>;
  let receiver: DriverWebhookReceiver;
  let driver: BlueBubblesDriver | undefined;
  let events: DriverEvent[];
  let now: Date;

  const startDriver = async (overrides: Partial<BlueBubblesDriverConfig> = {}) => {
    driver = new BlueBubblesDriver({
      serverUrl: fake.url,
      password: fake.password,
      webhookUrl: receiver.url,
      method: 'apple-script',
      sendTimeoutMs: 5_000,
      pollIntervalMs: 0,
      attachmentMaxBytes: 64 * 1024,
      attachmentDownloadTimeoutMs: 5_000,
      // The test's file server listens on loopback.
      attachmentAllowPrivateNetworks: true,
      clock: () => now,
      ...overrides,
    });
    await driver.start((event) => events.push(event));
    return driver;
  };

  const message = (to: string, urls: string[], body?: string): DriverSendRequest => ({
    messageId: randomUUID(),
    to,
    ...(body === undefined ? {} : { body }),
    attachments: urls.map((url) => ({ url })),
  });

  beforeEach(async () => {
    events = [];
    now = new Date();
    fake = await new FakeBlueBubbles().start();
    files = await startFileServer();
    receiver = await startDriverWebhookReceiver(() => driver);
  });

  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
    await fake.stop();
    await files.close();
    await receiver.close();
  });

  it('sends the text, then each attachment in order, one tempGuid per part, bytes intact', async () => {
    const bb = await startDriver();
    const request = message('+15551240001', [`${files.base}/file/20000/1/cat.png`, `${files.base}/chunked/50000`], 'look at these');
    request.attachments![0]!.filename = 'kitten.png';

    const outcome = await bb.send(request);

    const sent = fake.sent();
    expect(outcome).toEqual({ state: 'sent', providerId: sent[0]?.guid });
    expect(sent.map((m) => m.text)).toEqual(['look at these', '\ufffc', '\ufffc']);
    expect(fake.uploads.map(({ name, size, tempGuid }) => ({ name, size, tempGuid }))).toEqual([
      { name: 'kitten.png', size: 20_000, tempGuid: `${request.messageId}:a1` },
      { name: '50000', size: 50_000, tempGuid: `${request.messageId}:a2` },
    ]);
    expect(fake.uploads[0]?.data.equals(bytesOf(20_000, 1))).toBe(true);
    expect(fake.uploads[1]?.data.equals(bytesOf(50_000, 1))).toBe(true);
    expect(fake.uploads.every((upload) => upload.chatGuid === sent[0]?.chatGuid)).toBe(true);

    // Events of an attachment part name the message, not the part's tempGuid.
    await fake.webhooksSettled();
    fake.markDelivered(fake.uploads[1]!.guid!);
    await fake.webhooksSettled();
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'delivered', providerId: fake.uploads[1]!.guid, messageId: request.messageId }),
    );
  });

  it('an attachment over the size limit fails, not retryable, before anything is sent', async () => {
    const bb = await startDriver();
    const declared = await bb.send(
      message('+15551240002', [`${files.base}/file/1000/1/ok.png`, `${files.base}/file/70000/1/big.png`], 'hi'),
    );
    const streamed = await bb.send(message('+15551240002', [`${files.base}/chunked/70000`]));

    for (const outcome of [declared, streamed]) {
      expect(outcome).toMatchObject({ state: 'failed', code: 'bridge_error', retryable: false });
      expect(outcome.state === 'failed' && outcome.message).toMatch(/larger than the 65536-byte limit.*nothing was sent/);
    }
    expect(fake.uploads).toEqual([]);
    expect(fake.sent()).toEqual([]);
  });

  it('a 500 after the second attachment went out: reconcile finds every part, nothing uploaded twice', async () => {
    const bb = await startDriver();
    const request = message('+15551240003', [`${files.base}/file/3000/1/a.png`, `${files.base}/file/4000/2/b.png`], 'two files');
    fake.failAfterUploadNumbers.add(2);

    expect(await bb.send(request)).toMatchObject({ state: 'unknown' });
    await fake.webhooksSettled();
    const outcome = await bb.reconcile(request, now);

    expect(outcome).toEqual({ state: 'sent', providerId: fake.sent()[0]?.guid });
    expect(fake.uploads.map((upload) => upload.name)).toEqual(['a.png', 'b.png']);
    expect(fake.sent()).toHaveLength(3);
  });

  it('a 500 after the first attachment: reconcile checks it, then sends only the attachment never attempted', async () => {
    const bb = await startDriver();
    const request = message('+15551240004', [`${files.base}/file/3000/1/a.png`, `${files.base}/file/4000/2/b.png`], 'resume me');
    fake.failAfterUploadNumbers.add(1);

    expect(await bb.send(request)).toMatchObject({ state: 'unknown' });
    expect(fake.uploads.map((upload) => upload.name)).toEqual(['a.png']);
    await fake.webhooksSettled();

    expect(await bb.reconcile(request, now)).toMatchObject({ state: 'sent' });
    expect(fake.uploads.map((upload) => upload.tempGuid)).toEqual([`${request.messageId}:a1`, `${request.messageId}:a2`]);
    expect(fake.sent().filter((m) => m.text === 'resume me')).toHaveLength(1);
    // Asked again, nothing more goes out.
    expect(await bb.reconcile(request, now)).toMatchObject({ state: 'sent' });
    expect(fake.uploads).toHaveLength(2);
  });

  it('reconcile while the send is still running waits for it instead of resuming', async () => {
    const bb = await startDriver();
    const request = message('+15551240008', [`${files.base}/file/3000/1/slow.png`, `${files.base}/file/3000/2/later.png`], 'slow');
    fake.sendDelayMs = 200;
    const sending = bb.send(request);
    await vi.waitFor(() => expect(fake.uploads).toHaveLength(1), { timeout: 5_000, interval: 5 });

    expect(await bb.reconcile(request, new Date(now.getTime() - 600_000))).toBeUndefined();
    expect(await sending).toMatchObject({ state: 'sent' });
    expect(fake.uploads.map((upload) => upload.name)).toEqual(['slow.png', 'later.png']);
  });

  it('after an agent restart, a part in doubt is found in the history by its attachment name; no trace at all → wait, then not_sent', async () => {
    let bb = await startDriver();
    const request = message('+15551240005', [`${files.base}/file/3000/1/only.png`]);
    fake.failAfterUploadNumbers.add(1);
    expect(await bb.send(request)).toMatchObject({ state: 'unknown' });
    await bb.stop();

    bb = await startDriver({ webhookUrl: undefined, reconcileGraceMs: 60_000 });
    const since = new Date(now.getTime() - 1_000);
    expect(await bb.reconcile(request, since)).toEqual({ state: 'sent', providerId: fake.sent()[0]?.guid });
    expect(fake.uploads).toHaveLength(1);

    const neverSent = message('+15551240005', [`${files.base}/file/3000/1/other.png`], 'never');
    expect(await bb.reconcile(neverSent, since)).toBeUndefined();
    now = new Date(now.getTime() + 61_000);
    expect(await bb.reconcile(neverSent, since)).toEqual({ state: 'not_sent' });
    expect(fake.uploads).toHaveLength(1);
  });

  it('refuses a redirect to file: and more than 3 redirects; follows 3', async () => {
    const bb = await startDriver();
    const toFile = await bb.send(message('+15551240006', [`${files.base}/to-file`], 'x'));
    const tooMany = await bb.send(message('+15551240006', [`${files.base}/hops/4/100`], 'y'));

    expect(toFile).toMatchObject({ state: 'failed', retryable: false });
    expect(toFile.state === 'failed' && toFile.message).toMatch(/file: URLs are not fetched/);
    expect(tooMany).toMatchObject({ state: 'failed', retryable: false });
    expect(tooMany.state === 'failed' && tooMany.message).toMatch(/more than 3 redirects/);
    expect(files.hits.filter((hit) => hit.startsWith('/file/'))).toEqual([]);
    expect(fake.sent()).toEqual([]);

    expect(await bb.send(message('+15551240006', [`${files.base}/hops/3/100`], 'z'))).toMatchObject({ state: 'sent' });
    expect(fake.uploads.map(({ name, size }) => ({ name, size }))).toEqual([{ name: '100', size: 100 }]);
  });

  it('attachments only, to a new address: opens an empty chat (no made-up text), then uploads', async () => {
    const bb = await startDriver();
    const request = message('+15551240007', [`${files.base}/file/500/3/photo.jpg`]);

    expect(await bb.send(request)).toMatchObject({ state: 'sent' });
    const chatNew = fake.requests.find((r) => r.path === '/api/v1/chat/new');
    expect(chatNew?.body).toMatchObject({ addresses: ['+15551240007'] });
    expect(chatNew?.body).not.toHaveProperty('message');
    expect(fake.sent().map((m) => m.text)).toEqual(['\ufffc']);
    expect(fake.uploads[0]).toMatchObject({ name: 'photo.jpg', size: 500, chatGuid: 'iMessage;-;+15551240007' });
  });

  it('refuses an attachment on a loopback address unless private networks are allowed (SSRF guard)', async () => {
    const guarded = await startDriver({ attachmentAllowPrivateNetworks: false });
    const outcome = await guarded.send(message('+15551240009', [`${files.base}/file/1000/1/ok.png`], 'from the Mac’s own network'));
    expect(outcome).toMatchObject({ state: 'failed', retryable: false });
    expect(outcome.state === 'failed' && outcome.message).toMatch(/private, loopback or link-local/);
    expect(files.hits).toEqual([]);
    expect(fake.uploads).toEqual([]);
    expect(fake.sent()).toEqual([]);
  });
});
