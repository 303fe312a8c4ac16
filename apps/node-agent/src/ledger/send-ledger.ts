import type { Attachment, SendCommand, SendErrorCode } from '@bridgefleet/contracts/agent.schema.js';
import { Journal } from '../journal/journal.js';

export interface LedgerRecord {
  messageId: string;
  /** pending = recorded before the hand-off to Messages, outcome not known yet. */
  state: 'pending' | 'sent' | 'failed';
  to: string;
  body?: string;
  attachments?: Attachment[];
  recordedAt: string;
  finishedAt?: string;
  providerId?: string;
  error?: { code: SendErrorCode; message: string; retryable: boolean };
}

export type LedgerOutcome = { state: 'sent'; providerId?: string } | { state: 'failed'; error: NonNullable<LedgerRecord['error']> };

/** What the agent remembers about every message id it was asked to send. */
export interface SendLedger {
  get(messageId: string): LedgerRecord | undefined;
  /** Durable before it resolves: only then may the driver be called. */
  recordPending(command: SendCommand, at: Date): Promise<LedgerRecord>;
  recordOutcome(messageId: string, outcome: LedgerOutcome, at: Date): Promise<LedgerRecord>;
  /** The bridge confirmed the message never went out: forget it, so the same id may be sent (once) later. */
  release(messageId: string): Promise<void>;
  pending(): LedgerRecord[];
  pendingCount(): number;
}

type JournalEntry =
  | { op: 'pending'; scope: string; record: LedgerRecord }
  | { op: 'outcome'; scope: string; messageId: string; outcome: LedgerOutcome; at: string }
  | { op: 'release'; scope: string; messageId: string };

/**
 * The records of one or many agents (a simulated fleet shares one file, one scope per node),
 * kept in memory and, when opened on a file, in an fsynced append-only journal.
 */
export class SendLedgerBook {
  private readonly scopes = new Map<string, Map<string, LedgerRecord>>();
  private readonly pendingIds = new Map<string, Set<string>>();

  private constructor(private readonly journal?: Journal<JournalEntry>) {}

  static inMemory(): SendLedgerBook {
    return new SendLedgerBook();
  }

  static async open(path: string): Promise<SendLedgerBook> {
    const { journal, records } = await Journal.open<JournalEntry>(path);
    const book = new SendLedgerBook(journal);
    for (const entry of records) book.apply(entry);
    return book;
  }

  forScope(scope = ''): SendLedger {
    return {
      get: (messageId) => this.records(scope).get(messageId),
      recordPending: (command, at) => {
        const record: LedgerRecord = {
          messageId: command.messageId,
          state: 'pending',
          to: command.to,
          ...(command.body === undefined ? {} : { body: command.body }),
          ...(command.attachments ? { attachments: command.attachments } : {}),
          recordedAt: at.toISOString(),
        };
        return this.write({ op: 'pending', scope, record }).then(() => this.records(scope).get(command.messageId)!);
      },
      recordOutcome: (messageId, outcome, at) =>
        this.write({ op: 'outcome', scope, messageId, outcome, at: at.toISOString() }).then(() => this.records(scope).get(messageId)!),
      release: (messageId) => this.write({ op: 'release', scope, messageId }),
      pending: () => [...this.pendingOf(scope)].map((id) => this.records(scope).get(id)!),
      pendingCount: () => this.pendingOf(scope).size,
    };
  }

  async close(): Promise<void> {
    await this.journal?.close();
  }

  /** Disk first, memory second: what a caller sees has survived a crash. */
  private async write(entry: JournalEntry): Promise<void> {
    await this.journal?.append(entry);
    this.apply(entry);
  }

  private apply(entry: JournalEntry): void {
    const records = this.records(entry.scope);
    const pending = this.pendingOf(entry.scope);
    if (entry.op === 'pending') {
      records.set(entry.record.messageId, entry.record);
      pending.add(entry.record.messageId);
    } else if (entry.op === 'release') {
      records.delete(entry.messageId);
      pending.delete(entry.messageId);
    } else {
      const record = records.get(entry.messageId);
      if (!record) return;
      pending.delete(entry.messageId);
      record.state = entry.outcome.state;
      record.finishedAt = entry.at;
      if (entry.outcome.state === 'sent') {
        if (entry.outcome.providerId) record.providerId = entry.outcome.providerId;
      } else {
        record.error = entry.outcome.error;
      }
    }
  }

  private pendingOf(scope: string): Set<string> {
    let ids = this.pendingIds.get(scope);
    if (!ids) this.pendingIds.set(scope, (ids = new Set()));
    return ids;
  }

  private records(scope: string): Map<string, LedgerRecord> {
    let records = this.scopes.get(scope);
    if (!records) this.scopes.set(scope, (records = new Map()));
    return records;
  }
}
