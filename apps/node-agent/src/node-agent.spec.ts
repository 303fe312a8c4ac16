import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ManualTimers } from './clock/manual-timers.js';
import type { DriverSendOutcome, DriverSendRequest, MessagesDriver, ReconcileOutcome } from './drivers/driver.js';
import { SendLedgerBook } from './ledger/send-ledger.js';
import { NodeAgent } from './node-agent.js';
import { EventOutboxBook } from './outbox/event-outbox.js';

const messageId = '6f1c1f63-8f5d-4c07-9a51-1b7d3c0c1a11';
const command = { messageId, to: '+12065551234', body: 'hi' };
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A driver whose answers the test decides; it counts what it was asked. */
class ScriptedDriver implements MessagesDriver {
  readonly name = 'sim' as const;
  sends: DriverSendRequest[] = [];
  reconciles = 0;
  answer: () => Promise<DriverSendOutcome> = async () => ({ state: 'sent', providerId: 'p-1' });
  reconcileAnswer: ReconcileOutcome = undefined;
  async start() {}
  async stop() {}
  async health() {
    return { healthy: true, messagesAppRunning: true, signals: {}, problems: [] };
  }
  send(request: DriverSendRequest) {
    this.sends.push(request);
    return this.answer();
  }
  async reconcile() {
    this.reconciles += 1;
    return this.reconcileAnswer;
  }
  async availability() {
    return true;
  }
}

async function agentOn(dir: string, driver: ScriptedDriver, timers = new ManualTimers()) {
  const ledger = await SendLedgerBook.open(join(dir, 'ledger.jsonl'));
  const outbox = await EventOutboxBook.open(join(dir, 'outbox.jsonl'));
  const agent = new NodeAgent({
    bridgeId: 'mac-1',
    version: 'test',
    driver,
    ledger: ledger.forScope(),
    outbox: outbox.forScope(),
    timers,
    sendTimeoutMs: 10_000,
    log: silent,
  });
  await agent.start();
  return { agent, outbox: outbox.forScope(), timers };
}

describe('NodeAgent', () => {
  it('sends a message id once, however often and concurrently it is asked', async () => {
    const driver = new ScriptedDriver();
    const { agent, outbox } = await agentOn(mkdtempSync(join(tmpdir(), 'agent-')), driver);
    const results = await Promise.all([agent.send(command), agent.send(command), agent.send(command)]);
    expect(await agent.send(command)).toEqual({ messageId, state: 'sent', providerId: 'p-1' });
    expect(driver.sends).toHaveLength(1);
    expect(results.map((result) => result.state)).toContain('sent');
    expect(outbox.peek(10)).toEqual([expect.objectContaining({ id: `${messageId}:sent`, type: 'message.sent' })]);
  });

  it('never resends a pending id after a restart; reconciles it instead', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    const ledger = await SendLedgerBook.open(join(dir, 'ledger.jsonl'));
    await ledger.forScope().recordPending(command, new Date());

    const driver = new ScriptedDriver();
    driver.reconcileAnswer = undefined;
    const { agent } = await agentOn(dir, driver);
    expect(driver.reconciles).toBe(1);
    expect(await agent.send(command)).toEqual({ messageId, state: 'pending' });
    expect(driver.sends).toHaveLength(0);

    driver.reconcileAnswer = { state: 'sent', providerId: 'p-9' };
    await agent.reconcilePending();
    expect(await agent.send(command)).toEqual({ messageId, state: 'sent', providerId: 'p-9' });
    expect(driver.sends).toHaveLength(0);
  });

  it('forgets a pending id the bridge confirms it never took, so one send follows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    await (await SendLedgerBook.open(join(dir, 'ledger.jsonl'))).forScope().recordPending(command, new Date());
    const driver = new ScriptedDriver();
    driver.reconcileAnswer = { state: 'not_sent' };
    const { agent } = await agentOn(dir, driver);
    expect(agent.lookup(messageId)).toBeUndefined();
    expect((await agent.send(command)).state).toBe('sent');
    expect(await agent.send(command)).toMatchObject({ state: 'sent' });
    expect(driver.sends).toHaveLength(1);
  });

  it('answers pending when the bridge times out, and records the late answer', async () => {
    const driver = new ScriptedDriver();
    let answerLate: (outcome: DriverSendOutcome) => void = () => undefined;
    driver.answer = () => new Promise((resolve) => (answerLate = resolve));
    const { agent, timers } = await agentOn(mkdtempSync(join(tmpdir(), 'agent-')), driver);
    const result = agent.send(command);
    // The ledger write is real file I/O: wait for the hand-off before moving time.
    await vi.waitFor(() => expect(driver.sends).toHaveLength(1));
    await timers.advance(10_000);
    expect(await result).toEqual({ messageId, state: 'pending' });
    expect((await agent.health()).pendingCommands).toBe(1);
    answerLate({ state: 'failed', code: 'no_imessage', message: 'not registered', retryable: false });
    // Recording the late answer is real file I/O.
    await vi.waitFor(() => expect(agent.lookup(messageId)).toMatchObject({ state: 'failed', error: { code: 'no_imessage' } }));
    expect(driver.sends).toHaveLength(1);
  });
});
