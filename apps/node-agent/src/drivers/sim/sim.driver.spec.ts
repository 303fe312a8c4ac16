import { describe, expect, it } from 'vitest';
import { ManualTimers } from '../../clock/manual-timers.js';
import type { DriverEvent, DriverSendOutcome } from '../driver.js';
import { SimDriver, type SimOptions } from './sim.driver.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function simDriver(overrides: Partial<SimOptions> = {}) {
  const timers = new ManualTimers();
  const events: DriverEvent[] = [];
  const driver = new SimDriver({
    seed: 7,
    latencyMs: 100,
    latencyJitterMs: 0,
    failureRate: 0,
    noImessagePattern: /0000$/,
    responseRate: 0,
    replyDelayMs: 1_000,
    deliveryDelayMs: 50,
    timers,
    ...overrides,
  });
  void driver.start((event) => events.push(event));
  return { driver, timers, events };
}

async function sendNow(
  sim: ReturnType<typeof simDriver>,
  n: number,
  to = `+1206555${String(1000 + n).slice(-4)}`,
): Promise<DriverSendOutcome> {
  const outcome = sim.driver.send({ messageId: id(n), to, body: `hello ${n}` });
  await sim.timers.advance(1_000);
  return outcome;
}

describe('SimDriver', () => {
  it('answers only after its latency, then reports delivery', async () => {
    const sim = simDriver();
    let outcome: DriverSendOutcome | undefined;
    void sim.driver.send({ messageId: id(1), to: '+12065551234', body: 'hi' }).then((value) => (outcome = value));
    await sim.timers.advance(99);
    expect(outcome).toBeUndefined();
    await sim.timers.advance(1);
    expect(outcome).toMatchObject({ state: 'sent', providerId: expect.stringMatching(/^sim-/) });
    await sim.timers.advance(50);
    expect(sim.events).toEqual([expect.objectContaining({ type: 'delivered', messageId: id(1) })]);
    expect(sim.driver.sent().map((entry) => entry.messageId)).toEqual([id(1)]);
  });

  it('accepts attachments and records them with the send (what /sim/sent shows)', async () => {
    const sim = simDriver();
    const attachments = [{ url: 'https://files.test/a.png', filename: 'a.png', mimeType: 'image/png' }, { url: 'https://files.test/b' }];
    const outcome = sim.driver.send({ messageId: id(2), to: '+12065551234', attachments });
    await sim.timers.advance(1_000);
    expect(await outcome).toMatchObject({ state: 'sent' });
    expect(sim.driver.sent()).toEqual([expect.objectContaining({ messageId: id(2), attachments })]);
    expect(sim.driver.sent()[0]).not.toHaveProperty('body');
  });

  it('fails the same sends for the same seed at the configured rate', async () => {
    const run = async () => {
      const sim = simDriver({ failureRate: 0.3, seed: 42 });
      const outcomes: string[] = [];
      for (let n = 1; n <= 200; n++) outcomes.push((await sendNow(sim, n)).state);
      return outcomes;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const failures = first.filter((state) => state === 'failed').length;
    expect(failures).toBeGreaterThan(40);
    expect(failures).toBeLessThan(80);
  });

  it('fails recipients without iMessage with no_imessage and says so on availability', async () => {
    const sim = simDriver();
    expect(await sendNow(sim, 1, '+12065550000')).toMatchObject({ state: 'failed', code: 'no_imessage', retryable: false });
    expect(await sim.driver.availability('+12065550000')).toBe(false);
    expect(await sim.driver.availability('+12065551234')).toBe(true);
  });

  it('bans the line once a hidden daily volume is exceeded: later sends fail as banned', async () => {
    const sim = simDriver({ ban: { dailyVolume: 3, dailyNewContacts: 100, maxRatio: 100, ratioMinSample: 100 } });
    const states = [];
    for (let n = 1; n <= 5; n++) states.push(await sendNow(sim, n));
    expect(states.map((outcome) => outcome.state)).toEqual(['sent', 'sent', 'sent', 'sent', 'failed']);
    expect(states[4]).toMatchObject({ code: 'banned', retryable: false });
    const health = await sim.driver.health();
    expect(health.signals.banned).toBe(true);
    expect(health.healthy).toBe(false);
  });

  it('bans on the send:receive ratio, and inbound replies keep a line under it', async () => {
    const thresholds = { dailyVolume: 1_000, dailyNewContacts: 1_000, maxRatio: 2, ratioMinSample: 4 };
    const quiet = simDriver({ ban: thresholds });
    for (let n = 1; n <= 5; n++) await sendNow(quiet, n, '+12065551234');
    expect(quiet.driver.state().banned).toBe(true);

    const answered = simDriver({ ban: thresholds });
    for (let n = 1; n <= 5; n++) {
      await sendNow(answered, n, '+12065551234');
      answered.driver.inbound('+12065551234', 'thanks');
    }
    expect(answered.driver.state().banned).toBe(false);
  });

  it('replies at the response rate after the reply delay', async () => {
    const sim = simDriver({ responseRate: 1, replyDelayMs: 5_000 });
    void sim.driver.send({ messageId: id(1), to: '+12065551234', body: 'question?' });
    await sim.timers.advance(4_000);
    expect(sim.events.filter((event) => event.type === 'received')).toEqual([]);
    await sim.timers.advance(2_000);
    expect(sim.events.filter((event) => event.type === 'received')).toEqual([expect.objectContaining({ from: '+12065551234' })]);
  });

  it('holds sends while Messages.app hangs and releases them on restart; a crash fails them', async () => {
    const sim = simDriver();
    sim.driver.setFaults({ messagesApp: 'hung' });
    let outcome: DriverSendOutcome | undefined;
    void sim.driver.send({ messageId: id(1), to: '+12065551234', body: 'hi' }).then((value) => (outcome = value));
    await sim.timers.advance(600_000);
    expect(outcome).toBeUndefined();
    expect(await sim.driver.reconcile({ messageId: id(1), to: '+12065551234' })).toBeUndefined();
    sim.driver.setFaults({ messagesApp: 'running' });
    await sim.timers.advance(100);
    expect(outcome?.state).toBe('sent');

    sim.driver.setFaults({ messagesApp: 'crashed' });
    expect(await sendNow(sim, 2)).toMatchObject({ state: 'failed', code: 'messages_unavailable' });
    expect((await sim.driver.health()).messagesAppRunning).toBe(false);
  });

  it('reconciles from its sent history: sent, or surely not sent', async () => {
    const sim = simDriver();
    await sendNow(sim, 1);
    expect(await sim.driver.reconcile({ messageId: id(1), to: 'x' })).toMatchObject({ state: 'sent' });
    expect(await sim.driver.reconcile({ messageId: id(2), to: 'x' })).toEqual({ state: 'not_sent' });
  });
});
