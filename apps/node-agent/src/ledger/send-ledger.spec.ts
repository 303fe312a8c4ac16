import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SendLedgerBook } from './send-ledger.js';

const messageId = '6f1c1f63-8f5d-4c07-9a51-1b7d3c0c1a11';
const command = { messageId, to: '+12065551234', body: 'hi' };
const at = new Date('2026-01-05T12:00:00Z');

describe('SendLedgerBook on a file', () => {
  it('keeps a pending record across a reopen, and the outcome once recorded', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.jsonl');
    const first = await SendLedgerBook.open(path);
    await first.forScope().recordPending(command, at);
    // No close: the process dies here; what was appended must already be on disk.
    const afterCrash = (await SendLedgerBook.open(path)).forScope();
    expect(afterCrash.get(messageId)).toMatchObject({ state: 'pending', to: '+12065551234', body: 'hi' });
    expect(afterCrash.pendingCount()).toBe(1);

    await afterCrash.recordOutcome(messageId, { state: 'sent', providerId: 'p-1' }, at);
    const reopened = (await SendLedgerBook.open(path)).forScope();
    expect(reopened.get(messageId)).toMatchObject({ state: 'sent', providerId: 'p-1' });
    expect(reopened.pending()).toEqual([]);
  });

  it('keeps node scopes apart, forgets a released id, and skips a torn last line', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.jsonl');
    const book = await SendLedgerBook.open(path);
    await book.forScope('a').recordPending(command, at);
    await book.forScope('b').recordPending(command, at);
    await book.forScope('b').release(messageId);
    await book.close();
    appendFileSync(path, '{"op":"outcome","scope":"a","messageId":"6f1c1f63');
    const reopened = await SendLedgerBook.open(path);
    expect(reopened.forScope('a').get(messageId)?.state).toBe('pending');
    expect(reopened.forScope('b').get(messageId)).toBeUndefined();
  });
});
