import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnAgent, type AgentProcess } from '@bridgefleet/testing/agents.js';

const sentIds = async (agent: AgentProcess, messageId: string) =>
  (await agent.sim.get('/sim/sent')).body.items.filter((item: { messageId: string }) => item.messageId === messageId);

/** Sends, expecting the agent to die (SIGKILL by its test hook) before it answers. */
async function sendAndDie(agent: AgentProcess, body: object): Promise<void> {
  await expect(agent.client.post('/v1/send', body)).rejects.toThrow();
  expect(await agent.exited).toBe('SIGKILL');
}

describe('node agent: at most one send per message id across a SIGKILL', () => {
  it('killed after recording, before sending: the restart reconciles (not sent), and a resend sends exactly once', async () => {
    const first = await spawnAgent({ env: { AGENT_TEST_CRASH: 'after-record' } });
    const messageId = randomUUID();
    const command = { messageId, to: '+12065551234', body: 'crash after record' };
    await sendAndDie(first, command);

    const restarted = await spawnAgent({ dataDir: first.dataDir, token: first.token });
    try {
      expect(await sentIds(restarted, messageId)).toHaveLength(0);
      // The simulated Mac confirms it never took the message, so the agent forgot it.
      expect((await restarted.client.get(`/v1/sends/${messageId}`)).status).toBe(404);
      const resent = await restarted.client.post('/v1/send', command);
      expect(resent.body).toMatchObject({ messageId, state: 'sent' });
      const again = await restarted.client.post('/v1/send', command);
      expect(again.body).toEqual(resent.body);
      expect(await sentIds(restarted, messageId)).toHaveLength(1);
    } finally {
      await restarted.kill();
    }
  });

  it('killed after the Mac sent it, before recording the outcome: the restart finds it sent; a resend does not send again', async () => {
    const first = await spawnAgent({ env: { AGENT_TEST_CRASH: 'after-send' } });
    const messageId = randomUUID();
    const command = { messageId, to: '+12065551234', body: 'crash after send' };
    await sendAndDie(first, command);

    const restarted = await spawnAgent({ dataDir: first.dataDir, token: first.token });
    try {
      const [onMac] = await sentIds(restarted, messageId);
      expect(onMac).toBeDefined();
      const recorded = await restarted.client.get(`/v1/sends/${messageId}`);
      expect(recorded.body).toEqual({ messageId, state: 'sent', providerId: onMac.providerId });
      const resent = await restarted.client.post('/v1/send', command);
      expect(resent.body).toEqual({ messageId, state: 'sent', providerId: onMac.providerId });
      expect(await sentIds(restarted, messageId)).toHaveLength(1);
    } finally {
      await restarted.kill();
    }
  });
});

describe('node agent API', () => {
  let agent: AgentProcess;
  beforeAll(async () => {
    agent = await spawnAgent();
  });
  afterAll(async () => {
    await agent?.kill();
  });

  it('refuses a missing or wrong credential with 401 problem+json', async () => {
    for (const client of [agent.client.withKey(undefined), agent.client.withKey(`${agent.token}x`)]) {
      const response = await client.get('/health');
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect((await client.post('/v1/send', { messageId: randomUUID(), to: '+12065551234', body: 'x' })).status).toBe(401);
    }
    expect((await agent.sim.get('/sim/sent')).body.items).toEqual([]);
  });

  it('answers 400 problem+json with field errors for bad send bodies', async () => {
    const cases: [unknown, string][] = [
      [{ messageId: 'not-a-uuid', to: '+12065551234', body: 'x' }, 'body.messageId'],
      [{ messageId: randomUUID(), to: '+12065551234', body: 'x', priority: 1 }, 'body.priority'],
      [{ messageId: randomUUID(), to: '+12065551234' }, 'body.body'],
      [{ messageId: randomUUID(), body: 'x' }, 'body.to'],
      [{ messageId: randomUUID(), to: '+12065551234', attachments: [{ url: 'file:///etc/passwd' }] }, 'body.attachments.0.url'],
    ];
    for (const [body, path] of cases) {
      const response = await agent.client.post('/v1/send', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    }
    const malformed = await agent.client.request('POST', '/v1/send', '{"messageId":', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect((await agent.sim.get('/sim/sent')).body.items).toEqual([]);
  });

  it('reports health, availability, and a 404 for a message it never saw', async () => {
    const health = await agent.client.get('/health');
    expect(health.body).toMatchObject({ status: 'healthy', messagesAppRunning: true, driver: 'sim', pendingCommands: 0 });
    expect((await agent.client.get('/v1/availability?address=%2B12065550000')).body).toEqual({ address: '+12065550000', imessage: false });
    expect((await agent.client.get('/v1/availability?address=%2B12065551234')).body.imessage).toBe(true);
    expect((await agent.client.get(`/v1/sends/${randomUUID()}`)).status).toBe(404);
    // A route nobody serves, with a body left unread: 404 problem+json, and the connection still answers.
    for (const response of [await agent.client.post('/v1/nowhere', { x: 1 }), await agent.sim.post('/sim/nowhere', { x: 1 })]) {
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.body.detail).toMatch(/^No route POST \/(v1|sim)\/nowhere\.$/);
    }
    expect((await agent.client.get('/health')).status).toBe(200);
  });

  it('fails a send to a recipient without iMessage, and serves the sim faults', async () => {
    const messageId = randomUUID();
    const failed = await agent.client.post('/v1/send', { messageId, to: '+12065550000', body: 'hi' });
    expect(failed.body).toMatchObject({ messageId, state: 'failed', error: { code: 'no_imessage', retryable: false } });

    expect((await agent.sim.post('/sim/faults', { banned: true })).body.banned).toBe(true);
    const banned = await agent.client.post('/v1/send', { messageId: randomUUID(), to: '+12065551234', body: 'hi' });
    expect(banned.body).toMatchObject({ state: 'failed', error: { code: 'banned' } });
    expect((await agent.client.get('/health')).body).toMatchObject({ status: 'unhealthy', signals: { banned: true } });
    expect((await agent.sim.post('/sim/faults', { banned: false, messagesApp: 'crashed' })).status).toBe(200);
    expect((await agent.client.get('/health')).body.messagesAppRunning).toBe(false);
    expect((await agent.sim.post('/sim/faults', { messagesApp: 'exploded' })).status).toBe(400);
  });
});
