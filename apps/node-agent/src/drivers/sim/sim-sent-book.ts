import { Journal } from '../../journal/journal.js';

export interface SimSentEntry {
  messageId: string;
  to: string;
  body?: string;
  /** What the Mac was asked to attach (the simulated Mac downloads nothing). */
  attachments?: { url: string; filename?: string; mimeType?: string }[];
  providerId: string;
  at: string;
}

export interface SimSentLog {
  entries(): SimSentEntry[];
  append(entry: SimSentEntry): Promise<void>;
}

/**
 * What each simulated Mac has sent: its chat.db. On a file it survives an agent restart,
 * as a real Mac's history does, so reconciliation and "sent exactly once" can be checked.
 */
export class SimSentBook {
  private readonly scopes = new Map<string, SimSentEntry[]>();

  private constructor(private readonly journal?: Journal<SimSentEntry & { scope: string }>) {}

  static inMemory(): SimSentBook {
    return new SimSentBook();
  }

  static async open(path: string): Promise<SimSentBook> {
    const { journal, records } = await Journal.open<SimSentEntry & { scope: string }>(path);
    const book = new SimSentBook(journal);
    for (const { scope, ...entry } of records) book.entriesOf(scope).push(entry);
    return book;
  }

  forScope(scope = ''): SimSentLog {
    return {
      entries: () => this.entriesOf(scope),
      append: async (entry) => {
        await this.journal?.append({ scope, ...entry });
        this.entriesOf(scope).push(entry);
      },
    };
  }

  async close(): Promise<void> {
    await this.journal?.close();
  }

  private entriesOf(scope: string): SimSentEntry[] {
    let entries = this.scopes.get(scope);
    if (!entries) this.scopes.set(scope, (entries = []));
    return entries;
  }
}
