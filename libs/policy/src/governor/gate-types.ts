import type { Limits } from '@bridgefleet/contracts/limits.schema.js';
import type { ReputationState } from '../line-lifecycle.js';
import type { GovernorTuning } from './governor-tuning.js';

/** What the fleet and the line say about how this line may send right now. */
export interface GovernorPolicy {
  /** The line's effective limits (fleet defaults merged with its overrides). */
  limits: Limits;
  /** Fleet time zone and local day-reset time (HH:MM): the governor day. */
  timeZone: string;
  dayResetTime: string;
  tuning: GovernorTuning;
}

/** One outbound message asking to go out now. */
export interface GateRequest {
  contact: string;
  /** No conversation with this contact in the last 30 days. */
  newContact: boolean;
  /** The contact wrote in the last 24 h: a reply, exempt from the send:receive ratio. */
  contactWroteRecently: boolean;
  /** Messages sent to the contact since their last reply, as the registry knows it. */
  unanswered: number;
}

/** A snapshot of a line's counters (what the Lua script reads from Redis). */
export interface LineGateState {
  line: {
    /** Not retired, not flagged or banned, not unreachable (DESIGN "Sendable"). */
    sendable: boolean;
    reputation: ReputationState;
    warmupStartedAt: Date;
  };
  /** Counters of the governor day that contains `now`. */
  today: { sent: number; newContacts: number; inbound: number };
  /** Send times of new-contact messages (any order; only the last hour matters). */
  newContactSends: Date[];
  /** Hourly buckets of outbound and inbound counts (hour = floor(epoch ms / 3_600_000)). */
  hourBuckets: HourBucket[];
  /** First-contact messages and how many of those contacts replied, over the response window. */
  firstContacts: { sent: number; responded: number };
  pacing: { lastSentAt: Date | null; jitterMs: number };
  /** This line ↔ this contact. */
  pair: { sends: Date[]; unanswered: number };
}

export interface HourBucket {
  hour: number;
  sent: number;
  inbound: number;
}

export type GateReason =
  | 'line_not_sendable'
  | 'daily_cap'
  | 'pacing'
  | 'loop_guard'
  | 'unanswered'
  | 'throttled'
  | 'new_contact_daily_cap'
  | 'new_contact_hourly_cap'
  | 'ratio';

/**
 * Reasons that hold every message of the line; the others hold only this contact's (or
 * this kind of) message, so the dispatcher may try another contact on the same line.
 */
export const LINE_WIDE_REASONS: ReadonlySet<GateReason> = new Set(['line_not_sendable', 'daily_cap', 'pacing']);

/** What an allowed send adds to the counters. */
export interface GateConsumption {
  day: string;
  /** Hour bucket the send counts in for the ratio window. */
  hour: number;
  newContact: boolean;
  /** Jitter drawn for the gap after this send. */
  nextJitterMs: number;
  /** Earliest next send on the line (pacing), given the limits in force now. */
  nextSendAt: Date;
}

export type GovernorDecision = { allow: true; consume: GateConsumption } | { allow: false; reason: GateReason; waitUntil: Date };
