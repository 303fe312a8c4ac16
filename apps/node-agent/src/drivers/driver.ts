import type { AgentDriverName, Attachment, DriverSignals, SendErrorCode } from '@bridgefleet/contracts/agent.schema.js';

/** What a driver reports about the Mac and its bridge; the agent adds uptime, pending work, etc. */
export interface DriverHealth {
  healthy: boolean;
  messagesAppRunning: boolean;
  signals: DriverSignals;
  /** Why the driver thinks it is unhealthy, for the report and the logs. */
  problems: string[];
}

export interface DriverSendRequest {
  /** The control plane's message id: the driver uses it as tempGuid where the bridge has one. */
  messageId: string;
  to: string;
  body?: string;
  attachments?: Attachment[];
}

export type DriverSendOutcome =
  | { state: 'sent'; providerId?: string }
  | { state: 'failed'; code: SendErrorCode; message: string; retryable: boolean }
  /** The bridge did not say (timeout, 500 after hand-off): the agent must reconcile before deciding. */
  | { state: 'unknown'; message: string };

export type ReconcileOutcome = DriverSendOutcome | { state: 'not_sent' } | undefined;

/** Events a driver observes from the bridge (webhooks, polls); the agent adds ids and forwards them. */
export type DriverEvent =
  | { type: 'delivered' | 'read'; providerId: string; messageId?: string; at: Date }
  | { type: 'failed'; providerId: string; messageId?: string; code: SendErrorCode; message: string; at: Date }
  | { type: 'received'; from: string; body?: string; providerId: string; at: Date }
  | { type: 'deregistered'; detail?: string; at: Date };

/**
 * A bridge to Messages.app. Implementations: bluebubbles (BlueBubbles REST API),
 * applescript (osascript on macOS), sim (a simulated Mac for demos and tests).
 */
export interface MessagesDriver {
  readonly name: AgentDriverName;
  start(onEvent: (event: DriverEvent) => void): Promise<void>;
  stop(): Promise<void>;
  health(): Promise<DriverHealth>;
  send(request: DriverSendRequest): Promise<DriverSendOutcome>;
  /**
   * After an `unknown` outcome (or a pending record found at start-up): did the message
   * with this id go out? `undefined` when the bridge cannot tell yet; `not_sent` only when
   * the bridge is sure it never took the message (the agent then forgets the id, so the
   * control plane may send it once more).
   */
  reconcile(request: DriverSendRequest, since: Date): Promise<ReconcileOutcome>;
  availability(address: string): Promise<boolean>;
  /**
   * Optional: a webhook the bridge posts to the agent (BlueBubbles). The agent routes
   * `POST /bluebubbles/webhook` from loopback here; a throw answers 400.
   */
  handleWebhook?(body: unknown): void;
}
