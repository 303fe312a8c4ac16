import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlueBubblesDriver, type BlueBubblesDriverConfig } from '../apps/node-agent/src/drivers/bluebubbles/bluebubbles.driver.js';
import { InMemoryCursorStore } from '../apps/node-agent/src/drivers/bluebubbles/bluebubbles.config.js';
import type { DriverEvent } from '../apps/node-agent/src/drivers/driver.js';
import { startDriverWebhookReceiver, type DriverWebhookReceiver } from '@bridgefleet/testing/driver-webhook-receiver.js';
import { FakeBlueBubbles } from '@bridgefleet/testing/fake-bluebubbles.js';

describe('bluebubbles driver against a BlueBubbles server over HTTP', () => {
  let fake: FakeBlueBubbles;
  let receiver: DriverWebhookReceiver;
  let driver: BlueBubblesDriver | undefined;
  let events: DriverEvent[];
  let now: Date;

  const makeDriver = (overrides: Partial<BlueBubblesDriverConfig> = {}) =>
    new BlueBubblesDriver({
      serverUrl: fake.url,
      password: fake.password,
      webhookUrl: receiver.url,
      method: 'apple-script',
      sendTimeoutMs: 5_000,
      pollIntervalMs: 0,
      clock: () => now,
      ...overrides,
    });

  const startDriver = async (overrides: Partial<BlueBubblesDriverConfig> = {}) => {
    driver = makeDriver(overrides);
    await driver.start((event) => events.push(event));
    return driver;
  };

  const text = (to: string, body = `hello ${randomUUID()}`) => ({ messageId: randomUUID(), to, body });
  const paths = () => fake.requests.map((request) => `${request.method} ${request.path}`);

  beforeEach(async () => {
    events = [];
    now = new Date();
    fake = await new FakeBlueBubbles().start();
    receiver = await startDriverWebhookReceiver(() => driver);
  });

  afterEach(async () => {
    await driver?.stop();
    driver = undefined;
    await fake.stop();
    await receiver.close();
  });

  it('opens a new chat with chat/new, then uses message/text with the tempGuid', async () => {
    const bb = await startDriver();
    const first = text('+15551230001');
    expect(await bb.send(first)).toEqual({ state: 'sent', providerId: fake.sent()[0]?.guid });
    expect(fake.requests.find((request) => request.path === '/api/v1/chat/new')?.body).toMatchObject({
      addresses: ['+15551230001'],
      message: first.body,
      service: 'iMessage',
      method: 'apple-script',
      tempGuid: first.messageId,
    });

    fake.requests.length = 0;
    const second = text('+15551230001');
    expect(await bb.send(second)).toEqual({ state: 'sent', providerId: fake.sent()[1]?.guid });
    expect(paths()).toEqual(['POST /api/v1/message/text']);
    expect(fake.requests[0]?.body).toEqual({
      chatGuid: 'iMessage;-;+15551230001',
      message: second.body,
      tempGuid: second.messageId,
      method: 'apple-script',
    });
    expect(fake.sent().map((message) => message.text)).toEqual([first.body, second.body]);
  });

  it('sends to an existing chat with message/text only', async () => {
    fake.addChat('+15551230002');
    const bb = await startDriver();
    fake.requests.length = 0;
    expect((await bb.send(text('+15551230002'))).state).toBe('sent');
    expect(paths()).toEqual(['POST /api/v1/message/text']);
  });

  it('resolves macOS 26 `any;-;` chat guids through chat/query and caches them', async () => {
    fake.guidStyle = 'any';
    fake.addChat('+15551230003');
    const bb = await startDriver();
    fake.requests.length = 0;
    expect((await bb.send(text('+15551230003'))).state).toBe('sent');
    expect(paths()).toEqual(['POST /api/v1/message/text', 'POST /api/v1/chat/query', 'POST /api/v1/message/text']);
    expect(fake.requests[2]?.body).toMatchObject({ chatGuid: 'any;-;+15551230003' });

    fake.requests.length = 0;
    expect((await bb.send(text('+15551230003'))).state).toBe('sent');
    expect(paths()).toEqual(['POST /api/v1/message/text']);
    expect(fake.sent()).toHaveLength(2);
  });

  it('answers unknown on a timeout and reconciles to sent without a second send', async () => {
    fake.addChat('+15551230004');
    const bb = await startDriver({ webhookUrl: undefined, sendTimeoutMs: 200 });
    fake.sendDelayMs = 2_000;
    const request = text('+15551230004');
    const since = new Date(now.getTime());
    expect((await bb.send(request)).state).toBe('unknown');

    // a blind retry while the first is still in flight is refused upstream: still unknown, still one message
    expect((await bb.send(request)).state).toBe('unknown');
    const reconciled = await bb.reconcile(request, since);
    expect(reconciled).toEqual({ state: 'sent', providerId: fake.sent()[0]?.guid });
    expect(fake.sent()).toHaveLength(1);
    expect(paths().filter((path) => path === 'POST /api/v1/message/query')).toHaveLength(1);
  });

  it('reconciles a 500 "Message Send Error" whose message went out to sent', async () => {
    fake.addChat('+15551230005');
    const bb = await startDriver({ webhookUrl: undefined });
    const earlier = text('+15551230005', 'same words');
    expect((await bb.send(earlier)).state).toBe('sent');
    fake.failAfterSendCount = 1;
    const request = text('+15551230005', 'same words');
    const outcome = await bb.send(request);
    expect(outcome).toMatchObject({ state: 'unknown', message: expect.stringContaining('Message Send Error') });
    // the earlier identical text belongs to another message id and must not be matched
    expect(await bb.reconcile(request, now)).toEqual({ state: 'sent', providerId: fake.sent()[1]?.guid });
    expect(fake.sent()).toHaveLength(2);
  });

  it('reconcile cannot tell until the grace period passes, then says it was never sent', async () => {
    fake.addChat('+15551230006');
    const bb = await startDriver({ reconcileGraceMs: 60_000 });
    const since = new Date(now.getTime());
    const never = text('+15551230006');
    expect(await bb.reconcile(never, since)).toBeUndefined();
    now = new Date(since.getTime() + 61_000);
    expect(await bb.reconcile(never, since)).toEqual({ state: 'not_sent' });
    expect(fake.sent()).toHaveLength(0);
  });

  it('maps error 22 to failed no_imessage and a down helper to messages_unavailable', async () => {
    const bb = await startDriver();
    fake.withoutImessage.add('+15551230007');
    expect(await bb.send(text('+15551230007'))).toMatchObject({ state: 'failed', code: 'no_imessage', retryable: false });

    const privateApi = makeDriver({ method: 'private-api' });
    fake.helperConnected = false;
    expect(await privateApi.send(text('+15551230008'))).toMatchObject({ state: 'failed', code: 'messages_unavailable', retryable: true });
    expect(fake.sent().filter((message) => message.handle?.address === '+15551230008')).toHaveLength(0);
  });

  it('reports a wrong password clearly: send fails, health is unhealthy, start does not throw', async () => {
    const bb = await startDriver({ password: 'wrong' });
    expect(await bb.send(text('+15551230009'))).toMatchObject({
      state: 'failed',
      code: 'bridge_error',
      message: expect.stringContaining('authentication failed'),
    });
    const health = await bb.health();
    expect(health).toMatchObject({ healthy: false, problems: ['bluebubbles authentication failed'] });
    await expect(bb.availability('+15551230009')).rejects.toThrow(/authentication failed/);
    expect(fake.sent()).toHaveLength(0);
  });

  it('registers its webhook once and maps webhook events, deduping the double new-message', async () => {
    const bb = await startDriver();
    await makeDriver().start(() => undefined);
    expect(fake.webhooks.map((hook) => [hook.url, hook.events])).toEqual([[receiver.url, ['*']]]);

    const request = text('+15551230010');
    const outcome = await bb.send(request);
    await fake.webhooksSettled();
    expect(fake.deliveredWebhooks.filter((hook) => hook.type === 'new-message')).toHaveLength(2);
    expect(events).toEqual([]); // our own sends are not inbound messages

    const guid = outcome.state === 'sent' ? outcome.providerId! : '';
    fake.markDelivered(guid);
    fake.markRead(guid);
    const inbound = fake.injectInbound('+15551230010', 'thanks 👍');
    fake.removeAliases(['+15550000000']);
    await fake.webhooksSettled();
    await bb.pollNow(); // the poll sees the same messages again: nothing new may come out
    expect(events).toEqual([
      { type: 'delivered', providerId: guid, messageId: request.messageId, at: expect.any(Date) },
      { type: 'read', providerId: guid, messageId: request.messageId, at: expect.any(Date) },
      { type: 'received', from: '+15551230010', body: 'thanks 👍', providerId: inbound.guid, at: new Date(inbound.dateCreated) },
      { type: 'deregistered', detail: 'iMessage aliases removed: +15550000000', at: now },
    ]);
  });

  it('dedupes on guid when every webhook arrives twice (duplicate registration upstream)', async () => {
    const bb = await startDriver();
    await fetch(`${fake.url}/api/v1/webhook?password=${encodeURIComponent(fake.password)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['*'] }),
    });
    const inbound = fake.injectInbound('+15551230011', 'hi');
    await fake.webhooksSettled();
    expect(fake.deliveredWebhooks).toHaveLength(2);
    expect(events).toEqual([{ type: 'received', from: '+15551230011', body: 'hi', providerId: inbound.guid, at: expect.any(Date) }]);
    expect(bb.name).toBe('bluebubbles');
  });

  it('links a lost send answer to its message id through the tempGuid webhook', async () => {
    fake.addChat('+15551230012');
    const bb = await startDriver();
    fake.failAfterSendCount = 1;
    const request = text('+15551230012');
    expect((await bb.send(request)).state).toBe('unknown');
    await fake.webhooksSettled();
    const guid = fake.sent()[0]!.guid;
    fake.markDelivered(guid);
    await fake.webhooksSettled();
    expect(events).toEqual([{ type: 'delivered', providerId: guid, messageId: request.messageId, at: expect.any(Date) }]);
    expect(await bb.reconcile(request, now)).toEqual({ state: 'sent', providerId: guid });
  });

  it('catches a dropped webhook with the cursor poll and persists the cursor', async () => {
    const store = new InMemoryCursorStore();
    const bb = await startDriver({ cursorStore: store });
    const before = await store.load();
    fake.dropWebhookCount = 1;
    const inbound = fake.injectInbound('+15551230013', 'are you there?');
    await fake.webhooksSettled();
    expect(events).toEqual([]);

    expect(await bb.pollNow()).toBe(1);
    expect(events).toEqual([
      { type: 'received', from: '+15551230013', body: 'are you there?', providerId: inbound.guid, at: new Date(inbound.dateCreated) },
    ]);
    expect(await store.load()).toBe(inbound.dateCreated);
    expect(inbound.dateCreated).toBeGreaterThanOrEqual(before!);
    await bb.pollNow();
    expect(events).toHaveLength(1);
  });

  it('asks BlueBubbles whether an address has iMessage', async () => {
    const bb = await startDriver();
    fake.unavailable.add('+15551230014');
    expect(await bb.availability('+15551230015')).toBe(true);
    expect(await bb.availability('+15551230014')).toBe(false);
    fake.helperConnected = false;
    await expect(bb.availability('+15551230015')).rejects.toThrow(/Private API Helper is not connected/);
  });

  it('turns ping and server/info into health signals', async () => {
    const bb = await startDriver();
    expect(await bb.health()).toMatchObject({
      healthy: true,
      messagesAppRunning: true,
      problems: [],
      signals: { bridgeReachable: true, helperConnected: true, icloudSignedIn: true, imessageSignedIn: true, clockDriftSeconds: 0.2 },
    });

    fake.helperConnected = false;
    fake.detectedImessage = '';
    fake.macosTimeSync = 7;
    const degraded = await bb.health();
    expect(degraded).toMatchObject({
      healthy: false,
      messagesAppRunning: false,
      signals: { helperConnected: false, imessageSignedIn: false, clockDriftSeconds: 7 },
    });
    expect(degraded.problems).toEqual(['private api helper not connected', 'imessage signed out', 'clock drift 7 s']);

    await fake.stop();
    const down = await bb.health();
    expect(down).toMatchObject({ healthy: false, messagesAppRunning: false, signals: { bridgeReachable: false } });
    expect(down.problems[0]).toMatch(/^bluebubbles unreachable/);
    expect(down.problems[0]).not.toContain(fake.password);
  });
});
