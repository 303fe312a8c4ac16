import type { BlueBubblesClient } from './bluebubbles-client.js';
import { BlueBubblesChat } from './bluebubbles.schema.js';

const PAGE = 1_000;
const MAX_PAGES = 50;

/**
 * Finds the DM chat guid for an address. Before macOS 26 it is `iMessage;-;<addr>`;
 * on macOS 26 DMs are stored as `any;-;<addr>` and the `iMessage;-;` form answers 404
 * "Chat does not exist!", so the real guid is looked up with chat/query and cached.
 */
export class ChatGuidResolver {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly client: BlueBubblesClient,
    private readonly timeoutMs: number,
  ) {}

  /** The guid to try first: a cached one, or the classic DM form. */
  guess(address: string): string {
    return this.known.get(normalize(address)) ?? `iMessage;-;${address}`;
  }

  cached(address: string): string | undefined {
    return this.known.get(normalize(address));
  }

  remember(address: string, chatGuid: string): void {
    this.known.set(normalize(address), chatGuid);
  }

  forget(address: string): void {
    this.known.delete(normalize(address));
  }

  /** The existing DM with this address, or undefined when there is none yet. */
  async lookup(address: string): Promise<string | undefined> {
    const wanted = normalize(address);
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const envelope = await this.client.post('/chat/query', {
        body: { limit: PAGE, offset: page * PAGE, with: ['participants'], sort: 'lastmessage' },
        timeoutMs: this.timeoutMs,
      });
      const chats = Array.isArray(envelope.data) ? envelope.data : [];
      const match = chats.map((chat) => BlueBubblesChat.safeParse(chat)).find((chat) => chat.success && isDmWith(chat.data, wanted));
      if (match?.success) {
        this.remember(address, match.data.guid);
        return match.data.guid;
      }
      if (chats.length < PAGE) return undefined;
    }
    return undefined;
  }
}

/** A DM (`<service>;-;<addr>`, not a group `;+;`) whose only participant is the address. */
function isDmWith(chat: BlueBubblesChat, wanted: string): boolean {
  if (!chat.guid.includes(';-;')) return false;
  const participants = chat.participants ?? [];
  if (participants.length > 0) return participants.length === 1 && normalize(participants[0]?.address ?? '') === wanted;
  return normalize(chat.guid.slice(chat.guid.indexOf(';-;') + 3)) === wanted;
}

/** Phone numbers compare without spaces or punctuation, e-mail addresses without case. */
function normalize(address: string): string {
  const trimmed = address.trim();
  return trimmed.includes('@') ? trimmed.toLowerCase() : trimmed.replace(/[\s().-]/g, '');
}
