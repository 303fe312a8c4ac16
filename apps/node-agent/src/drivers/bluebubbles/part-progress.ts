/**
 * What this agent process knows about the parts of multi-part sends: which it started
 * (may have gone out) and which BlueBubbles confirmed. Only in memory and bounded: after
 * a restart reconcile falls back to what BlueBubbles' history shows.
 */
export class PartProgress {
  private readonly parts = new Map<string, 'attempted' | 'sent'>();
  private readonly messages = new Set<string>();

  constructor(private readonly capacity = 20_000) {}

  /** This process sends (or resumes) the message: a part without a record was never attempted. */
  track(messageId: string): void {
    this.messages.add(messageId);
    if (this.messages.size > this.capacity) this.messages.delete(this.messages.values().next().value as string);
  }

  tracked(messageId: string): boolean {
    return this.messages.has(messageId);
  }

  attempted(tempGuid: string): void {
    if (this.parts.get(tempGuid) !== 'sent') this.set(tempGuid, 'attempted');
  }

  sent(tempGuid: string): void {
    this.set(tempGuid, 'sent');
  }

  isSent(tempGuid: string): boolean {
    return this.parts.get(tempGuid) === 'sent';
  }

  wasAttempted(tempGuid: string): boolean {
    return this.parts.has(tempGuid);
  }

  private set(tempGuid: string, state: 'attempted' | 'sent'): void {
    this.parts.delete(tempGuid);
    this.parts.set(tempGuid, state);
    if (this.parts.size > this.capacity) this.parts.delete(this.parts.keys().next().value as string);
  }
}
