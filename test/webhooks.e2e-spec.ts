import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type TestControlPlane } from '@bridgefleet/testing/control-plane.js';
import { pollUntil, WebhookReceiver, type ReceivedWebhook } from '@bridgefleet/testing/webhook-receiver.js';

/**
 * Verifies a received delivery the way a customer would: with the reference `standardwebhooks`
 * library over the exact bytes received (it checks the signature and a 5-minute timestamp window).
 * Returns the parsed payload; throws WebhookVerificationError when it does not verify.
 */
function verifyStandardWebhook(secret: string, received: ReceivedWebhook): unknown {
  const headers = {
    'webhook-id': String(received.headers['webhook-id']),
    'webhook-timestamp': String(received.headers['webhook-timestamp']),
    'webhook-signature': String(received.headers['webhook-signature']),
  };
  return new Webhook(secret).verify(received.body, headers);
}

describe('webhooks', () => {
  let cp: TestControlPlane;
  let counter = 0;

  beforeAll(async () => {
    cp = await startControlPlane({ WEBHOOK_RETRY_SCHEDULE: '30ms,30ms', WEBHOOK_POLL_MS: '20', DISPATCH_ENABLED: 'false' });
  });
  afterAll(async () => {
    await cp?.close();
  });

  /** A message.status event through the public API: queue a message and cancel it. */
  async function causeStatusEvent(): Promise<string> {
    counter += 1;
    const sent = await cp.admin.post('/v1/messages', { to: `hook${counter}@example.com`, body: 'hello' });
    expect(sent.status).toBe(202);
    expect((await cp.admin.post(`/v1/messages/${sent.body.id}/cancel`)).status).toBe(200);
    return sent.body.id;
  }

  async function subscribe(receiver: WebhookReceiver, events: string[] = ['message.status']) {
    const created = await cp.admin.post('/v1/webhooks', { url: receiver.url, events });
    expect(created.status).toBe(201);
    return created.body as { id: string; secret: string };
  }

  async function deliveries(endpointId: string) {
    return (await cp.admin.get(`/v1/webhooks/${endpointId}/deliveries`)).body.items as Array<Record<string, any>>;
  }

  it('creates an endpoint whose secret is shown once, and validates the body', async () => {
    const receiver = await WebhookReceiver.start();
    const endpoint = await subscribe(receiver, ['*']);
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(endpoint.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    const listed = await cp.admin.get('/v1/webhooks');
    expect(listed.body.items.find((item: { id: string }) => item.id === endpoint.id)).toMatchObject({ url: receiver.url, events: ['*'] });
    expect(JSON.stringify(listed.body)).not.toContain(endpoint.secret.slice(6));

    expect((await cp.admin.post('/v1/webhooks', { url: 'ftp://example.com', events: ['*'] })).status).toBe(400);
    expect((await cp.admin.post('/v1/webhooks', { url: receiver.url, events: ['message.sent'] })).status).toBe(400);
    expect((await cp.admin.post('/v1/webhooks', { url: receiver.url, events: ['*'], extra: 1 })).status).toBe(400);
    expect((await cp.admin.delete(`/v1/webhooks/${endpoint.id}`)).status).toBe(200);
    await receiver.close();
  });

  it('signs per Standard Webhooks and delivers the {type, timestamp, data} envelope', async () => {
    const receiver = await WebhookReceiver.start();
    const endpoint = await subscribe(receiver);
    const messageId = await causeStatusEvent();
    const [hook] = await receiver.waitFor(1);
    expect(verifyStandardWebhook(endpoint.secret, hook!)).toMatchObject({ type: 'message.status', data: { messageId } });
    expect(() => verifyStandardWebhook(`whsec_${Buffer.alloc(32).toString('base64')}`, hook!)).toThrow(WebhookVerificationError);
    const tampered = { ...hook!, body: hook!.body.replace('canceled', 'delivered') };
    expect(() => verifyStandardWebhook(endpoint.secret, tampered)).toThrow(WebhookVerificationError);
    const stale = { ...hook!, headers: { ...hook!.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) } };
    expect(() => verifyStandardWebhook(endpoint.secret, stale)).toThrow(WebhookVerificationError);

    const envelope = JSON.parse(hook!.body);
    expect(envelope).toMatchObject({ type: 'message.status', data: { messageId, status: 'canceled', previousStatus: 'queued' } });
    expect(new Date(envelope.timestamp).toISOString()).toBe(envelope.timestamp);
    const [delivery] = await pollUntil(async () => {
      const rows = await deliveries(endpoint.id);
      return rows[0]?.status === 'succeeded' ? rows : undefined;
    }, 'a succeeded delivery');
    expect(hook!.headers['webhook-id']).toBe(delivery!.id);
    await cp.admin.delete(`/v1/webhooks/${endpoint.id}`);
    await receiver.close();
  });

  it('retries after a 500 with the same webhook-id, then succeeds', async () => {
    const receiver = await WebhookReceiver.start();
    receiver.script([500]);
    const endpoint = await subscribe(receiver);
    await causeStatusEvent();
    const [first, second] = await receiver.waitFor(2);
    expect(first!.answeredWith).toBe(500);
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.body).toBe(first!.body);
    // Every try is signed: the retry verifies as well as the first.
    for (const hook of [first!, second!]) expect(verifyStandardWebhook(endpoint.secret, hook)).toMatchObject({ type: 'message.status' });
    const delivery = await pollUntil(async () => (await deliveries(endpoint.id)).find((row) => row.status === 'succeeded'), 'success');
    expect(delivery).toMatchObject({ attempts: 2, lastStatusCode: 200 });

    const metrics = await cp.client().get('/metrics');
    expect(metrics.text).toMatch(/bridgefleet_webhook_deliveries_total\{[^}]*result="retry"[^}]*\} [1-9]/);
    await cp.admin.delete(`/v1/webhooks/${endpoint.id}`);
    await receiver.close();
  });

  it('dead-letters after the last try, and a replay sends it again', async () => {
    const receiver = await WebhookReceiver.start();
    receiver.script([], 503);
    const endpoint = await subscribe(receiver);
    await causeStatusEvent();
    const dead = await pollUntil(async () => (await deliveries(endpoint.id)).find((row) => row.status === 'dead'), 'a dead delivery');
    // The schedule has two delays: one first try and two retries.
    expect(dead).toMatchObject({ attempts: 3, lastStatusCode: 503 });
    expect(receiver.received).toHaveLength(3);

    receiver.script([], 200);
    const replay = await cp.admin.post(`/v1/webhooks/deliveries/${dead.id}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body.status).toBe('pending');
    const all = await receiver.waitFor(4);
    expect(all[3]!.headers['webhook-id']).toBe(dead.id);
    // The replay is signed afresh (a new timestamp) and verifies with the library, as did each failed try.
    for (const hook of all) expect(verifyStandardWebhook(endpoint.secret, hook)).toEqual(JSON.parse(all[0]!.body));
    expect(Number(all[3]!.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(Number(all[0]!.headers['webhook-timestamp']));
    const replayed = await pollUntil(
      async () => (await deliveries(endpoint.id)).find((row) => row.status === 'succeeded'),
      'replayed delivery',
    );
    expect(replayed).toMatchObject({ id: dead.id, attempts: 4 });
    expect((await cp.admin.post('/v1/webhooks/deliveries/00000000-0000-4000-8000-000000000000/replay')).status).toBe(404);
    await cp.admin.delete(`/v1/webhooks/${endpoint.id}`);
    await receiver.close();
  });

  it('disables an endpoint that answers 410 Gone and sends it nothing more', async () => {
    const receiver = await WebhookReceiver.start();
    receiver.script([], 410);
    const endpoint = await subscribe(receiver);
    await causeStatusEvent();
    const gone = await pollUntil(async () => (await deliveries(endpoint.id)).find((row) => row.status === 'failed'), 'a failed delivery');
    expect(gone).toMatchObject({ attempts: 1, lastStatusCode: 410 });
    const listed = await cp.admin.get('/v1/webhooks');
    expect(listed.body.items.find((item: { id: string }) => item.id === endpoint.id).disabledAt).not.toBeNull();
    const audit = await cp.admin.get(`/v1/audit?targetId=${endpoint.id}&action=webhook.disable`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].actor).toBe('system:webhooks');

    await causeStatusEvent();
    expect(await deliveries(endpoint.id)).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
    expect((await cp.admin.post(`/v1/webhooks/deliveries/${gone.id}/replay`)).status).toBe(409);
    await receiver.close();
  });

  it('requires admin for webhook routes', async () => {
    const key = await cp.admin.post('/v1/keys', { name: 'writer', scopes: ['messages:write'] });
    expect((await cp.client(key.body.key).get('/v1/webhooks')).status).toBe(403);
  });
});
