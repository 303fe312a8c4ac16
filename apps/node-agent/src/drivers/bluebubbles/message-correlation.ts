/**
 * Which BlueBubbles message guid belongs to which control-plane message id (tempGuid).
 * Learned from send answers, the tempGuid-carrying webhook, and reconciles; bounded
 * so a long-running agent does not grow without limit.
 */
export class MessageCorrelation {
  private readonly guidByMessageId = new Map<string, string>();
  private readonly messageIdByGuid = new Map<string, string>();

  constructor(private readonly capacity = 20_000) {}

  link(messageId: string, guid: string): void {
    this.guidByMessageId.set(messageId, guid);
    this.messageIdByGuid.set(guid, messageId);
    if (this.guidByMessageId.size > this.capacity) {
      const [oldestId, oldestGuid] = this.guidByMessageId.entries().next().value as [string, string];
      this.guidByMessageId.delete(oldestId);
      this.messageIdByGuid.delete(oldestGuid);
    }
  }

  guidFor(messageId: string): string | undefined {
    return this.guidByMessageId.get(messageId);
  }

  messageIdFor(guid: string): string | undefined {
    return this.messageIdByGuid.get(guid);
  }
}

/** Event keys already emitted: webhooks arrive twice per send and the poll overlaps them. */
export class SeenEvents {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity = 50_000) {}

  /** True the first time a key is offered. */
  firstTime(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value as string);
    return true;
  }
}
