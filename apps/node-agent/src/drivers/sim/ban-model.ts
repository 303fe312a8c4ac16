/**
 * Hidden thresholds past which the simulated Apple ID gets banned. Apple publishes none;
 * these play the part of its spam heuristics so the governor can be tested against them.
 */
export interface BanThresholds {
  /** Outbound messages in one UTC day. */
  dailyVolume: number;
  /** Distinct first-time recipients in one UTC day. */
  dailyNewContacts: number;
  /** Outbound per inbound, lifetime, once `ratioMinSample` messages went out. */
  maxRatio: number;
  ratioMinSample: number;
}

export const DEFAULT_BAN_THRESHOLDS: BanThresholds = { dailyVolume: 400, dailyNewContacts: 60, maxRatio: 4, ratioMinSample: 50 };

/** Counts what Apple would see and says when a threshold is crossed. Pure: time comes in as an argument. */
export class BanModel {
  private day = '';
  private sentToday = 0;
  private newContactsToday = 0;
  private sentTotal = 0;
  private inboundTotal = 0;
  private readonly contacts = new Set<string>();

  constructor(private readonly thresholds: BanThresholds) {}

  recordSend(to: string, now: number): void {
    this.rollDay(now);
    this.sentToday += 1;
    this.sentTotal += 1;
    if (!this.contacts.has(to)) {
      this.contacts.add(to);
      this.newContactsToday += 1;
    }
  }

  recordInbound(from: string, now: number): void {
    this.rollDay(now);
    this.inboundTotal += 1;
    this.contacts.add(from);
  }

  /** Why the line would be banned now, or undefined. */
  verdict(): string | undefined {
    const { dailyVolume, dailyNewContacts, maxRatio, ratioMinSample } = this.thresholds;
    if (this.sentToday > dailyVolume) return `sent ${this.sentToday} messages today (hidden limit ${dailyVolume})`;
    if (this.newContactsToday > dailyNewContacts)
      return `messaged ${this.newContactsToday} new contacts today (hidden limit ${dailyNewContacts})`;
    if (this.sentTotal >= ratioMinSample && this.sentTotal > maxRatio * Math.max(1, this.inboundTotal)) {
      return `sent ${this.sentTotal} for ${this.inboundTotal} received (hidden ratio ${maxRatio}:1)`;
    }
    return undefined;
  }

  private rollDay(now: number): void {
    const day = new Date(now).toISOString().slice(0, 10);
    if (day === this.day) return;
    this.day = day;
    this.sentToday = 0;
    this.newContactsToday = 0;
  }
}
