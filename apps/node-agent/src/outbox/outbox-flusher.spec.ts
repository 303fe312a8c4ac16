import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent } from '@bridgefleet/contracts/agent.schema.js';
import { describe, expect, it } from 'vitest';
import { ManualTimers } from '../clock/manual-timers.js';
import { EventOutboxBook } from './event-outbox.js';
import type { EventSender } from './event-sender.js';
import { OutboxFlusher } from './outbox-flusher.js';

const event = (n: number): AgentEvent => ({ id: `e-${n}`, type: 'line.deregistered', at: '2026-01-05T12:00:00.000Z' });

/** A control plane that is down for the first `failures` posts. */
class FlakyControlPlane implements EventSender {
  received: string[] = [];
  attempts: number[] = [];
  constructor(
    private failures: number,
    private readonly timers: ManualTimers,
  ) {}
  async post(_nodeId: string, _token: string, events: AgentEvent[]) {
    this.attempts.push(this.timers.now());
    if (this.failures-- > 0) return false;
    this.received.push(...events.map((e) => e.id));
    return true;
  }
}

describe('OutboxFlusher', () => {
  it('retries with growing delays until acknowledged, then delivers every event once, in order', async () => {
    const timers = new ManualTimers();
    const cp = new FlakyControlPlane(4, timers);
    const book = EventOutboxBook.inMemory();
    const flusher = new OutboxFlusher(cp, timers, { batchSize: 2, baseDelayMs: 1_000, random: () => 1 });
    book.onAdded = (scope) => flusher.notify(scope);
    flusher.register({ key: 'n1', nodeId: () => 'node-1', agentToken: 't', outbox: book.forScope('n1') });
    flusher.start();
    await book.forScope('n1').add([event(1), event(2), event(3)]);

    await timers.advance(60_000);
    expect(cp.received).toEqual(['e-1', 'e-2', 'e-3']);
    expect(book.forScope('n1').size()).toBe(0);
    const gaps = cp.attempts.slice(1, 5).map((at, i) => at - cp.attempts[i]!);
    expect(gaps).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('waits for the node id, and caps the backoff', async () => {
    const timers = new ManualTimers();
    const cp = new FlakyControlPlane(100, timers);
    const node: { id?: string } = {};
    const book = EventOutboxBook.inMemory();
    const flusher = new OutboxFlusher(cp, timers, { baseDelayMs: 1_000, maxDelayMs: 5_000, random: () => 1 });
    flusher.register({ key: 'n1', nodeId: () => node.id, agentToken: 't', outbox: book.forScope('n1') });
    flusher.start();
    await book.forScope('n1').add([event(1)]);
    flusher.notify('n1');
    await timers.advance(10_000);
    expect(cp.attempts).toEqual([]);
    node.id = 'node-1';
    flusher.notify('n1');
    await timers.advance(60_000);
    const gaps = cp.attempts.slice(1).map((at, i) => at - cp.attempts[i]!);
    expect(Math.max(...gaps)).toBe(5_000);
    expect(book.forScope('n1').size()).toBe(1);
    await flusher.stop();
  });
});

describe('EventOutboxBook on a file', () => {
  it('keeps unacknowledged events across a restart and drops acknowledged ones', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'outbox.jsonl');
    const book = await EventOutboxBook.open(path);
    await book.forScope('a').add([event(1), event(2), event(3)]);
    await book.forScope('a').ack(['e-2']);
    const reopened = await EventOutboxBook.open(path);
    expect(
      reopened
        .forScope('a')
        .peek(10)
        .map((e) => e.id),
    ).toEqual(['e-1', 'e-3']);
  });
});
