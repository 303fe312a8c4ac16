import type { AgentEvent } from '@bridgefleet/contracts/agent.schema.js';
import { Journal } from '../journal/journal.js';

/** Events of one agent waiting for the control plane's acknowledgement, oldest first. */
export interface EventOutbox {
  add(events: AgentEvent[]): Promise<void>;
  peek(max: number): AgentEvent[];
  ack(ids: string[]): Promise<void>;
  size(): number;
}

type JournalEntry = { op: 'add'; scope: string; event: AgentEvent } | { op: 'ack'; scope: string; ids: string[] };

/**
 * The outboxes of one or many agents (a simulated fleet shares one file, one scope per node).
 * On a file, an event is on disk before `add` resolves and stays until acknowledged, so a
 * control-plane outage or an agent crash loses nothing. Acknowledged events are dropped
 * from the file when it is reopened.
 */
export class EventOutboxBook {
  private readonly scopes = new Map<string, Map<string, AgentEvent>>();
  /** Called after events are added, so a flusher can wake up. */
  onAdded: (scope: string) => void = () => undefined;

  private constructor(private readonly journal?: Journal<JournalEntry>) {}

  static inMemory(): EventOutboxBook {
    return new EventOutboxBook();
  }

  static async open(path: string): Promise<EventOutboxBook> {
    const loaded = await Journal.open<JournalEntry>(path);
    await loaded.journal.close();
    const live = new EventOutboxBook();
    for (const entry of loaded.records) live.apply(entry);
    const remaining: JournalEntry[] = [];
    for (const [scope, events] of live.scopes) for (const event of events.values()) remaining.push({ op: 'add', scope, event });
    Journal.rewrite(path, remaining);
    const { journal } = await Journal.open<JournalEntry>(path);
    const book = new EventOutboxBook(journal);
    for (const entry of remaining) book.apply(entry);
    return book;
  }

  forScope(scope = ''): EventOutbox {
    return {
      add: async (events) => {
        if (!events.length) return;
        await Promise.all(events.map((event) => this.journal?.append({ op: 'add', scope, event })));
        for (const event of events) this.apply({ op: 'add', scope, event });
        this.onAdded(scope);
      },
      peek: (max) => {
        const out: AgentEvent[] = [];
        for (const event of this.events(scope).values()) {
          if (out.length >= max) break;
          out.push(event);
        }
        return out;
      },
      ack: async (ids) => {
        if (!ids.length) return;
        await this.journal?.append({ op: 'ack', scope, ids });
        this.apply({ op: 'ack', scope, ids });
      },
      size: () => this.events(scope).size,
    };
  }

  async close(): Promise<void> {
    await this.journal?.close();
  }

  private apply(entry: JournalEntry): void {
    const events = this.events(entry.scope);
    if (entry.op === 'add') events.set(entry.event.id, entry.event);
    else for (const id of entry.ids) events.delete(id);
  }

  private events(scope: string): Map<string, AgentEvent> {
    let events = this.scopes.get(scope);
    if (!events) this.scopes.set(scope, (events = new Map()));
    return events;
  }
}
