export type BlueBubblesSendMethod = 'apple-script' | 'private-api';

/** Where the cursor poll remembers how far it has read (BlueBubbles dateCreated, epoch ms). */
export interface CursorStore {
  load(): Promise<number | undefined>;
  save(cursor: number): Promise<void>;
}

export class InMemoryCursorStore implements CursorStore {
  private cursor: number | undefined;

  async load(): Promise<number | undefined> {
    return this.cursor;
  }

  async save(cursor: number): Promise<void> {
    this.cursor = cursor;
  }
}

export interface BlueBubblesDriverConfig {
  /** e.g. http://127.0.0.1:1234 */
  serverUrl: string;
  password: string;
  /** Where BlueBubbles should POST its webhooks (the agent's /bluebubbles/webhook); none = poll only. */
  webhookUrl?: string;
  method: BlueBubblesSendMethod;
  /** How long a send may take before its outcome is `unknown` (apple-script sends can take ~2 min). */
  sendTimeoutMs: number;
  /** Cursor poll period; 0 disables the timer (tests call pollNow()). */
  pollIntervalMs: number;
  /** Timeout for pings, queries and other calls that are not sends. */
  requestTimeoutMs?: number;
  /**
   * After this long without trace of a message in BlueBubbles, reconcile says it did not go out.
   * Must exceed the ~2 min BlueBubbles itself waits for an apple-script send.
   */
  reconcileGraceMs?: number;
  /** Largest attachment the agent downloads and uploads (bytes). */
  attachmentMaxBytes?: number;
  /** Deadline for downloading one attachment, redirects included. */
  attachmentDownloadTimeoutMs?: number;
  /** Allow attachment URLs on loopback/private/link-local addresses (default false: SSRF guard). */
  attachmentAllowPrivateNetworks?: boolean;
  /** Where attachments wait between download and upload (a fresh directory per send, removed after). */
  attachmentTempDir?: string;
  /** Used to download attachments (tests); BlueBubbles calls use `fetch`. */
  attachmentFetch?: typeof fetch;
  cursorStore?: CursorStore;
  clock?: () => Date;
  fetch?: typeof fetch;
}

export const BLUEBUBBLES_DEFAULTS = {
  requestTimeoutMs: 10_000,
  reconcileGraceMs: 180_000,
  /** macos_time_sync at or above this many seconds is a problem (shared/bluebubbles.md). */
  maxClockDriftSeconds: 5,
  attachmentMaxBytes: 25 * 1024 * 1024,
  attachmentDownloadTimeoutMs: 60_000,
  /** Redirects followed when downloading an attachment; one more is refused. */
  attachmentMaxRedirects: 3,
} as const;
