export interface GateLine {
  id: string;
  admin: string;
  health: string;
  reputation: string;
  limits: unknown;
  warmupStartedAt: Date;
}

export interface GateContact {
  handle: string;
  /** No conversation in the last 30 days. */
  isNew: boolean;
  /** The contact wrote to us in the last 24 h: a reply is exempt from the ratio. */
  wroteRecently: boolean;
  unanswered: number;
}

export type GateDecision =
  | { allow: true; reservation: unknown }
  | {
      allow: false;
      reason: string;
      waitUntil: Date;
      /** 'line' blocks every message on the line; 'contact' only this contact's. */
      scope: 'line' | 'contact';
    };

/**
 * The anti-spam governor as the dispatcher sees it: reserve the right to send one
 * message now (atomically, across processes), or say why not and until when.
 */
export abstract class SendGate {
  abstract acquire(line: GateLine, contact: GateContact, now: Date): Promise<GateDecision>;
  /** Gives a reservation back when the message did not reach Apple. */
  abstract release(line: GateLine, contact: GateContact, reservation: unknown, now: Date): Promise<void>;
  /** An inbound message: feeds the send:receive ratio and the contact's reply window. */
  abstract recordInbound(lineId: string, contactHandle: string, at: Date): Promise<void>;
}

/** No limits: for deployments (and tests) that bind no governor. */
export class OpenGate extends SendGate {
  async acquire(): Promise<GateDecision> {
    return { allow: true, reservation: null };
  }
  async release(): Promise<void> {}
  async recordInbound(): Promise<void> {}
}
