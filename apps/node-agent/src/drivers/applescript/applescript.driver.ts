import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DriverEvent, DriverHealth, DriverSendOutcome, DriverSendRequest, MessagesDriver, ReconcileOutcome } from '../driver.js';
import { buildAccountStatusCommand, buildMessagesRunningCommand, buildSendCommand, InvalidSendInput } from './messages-scripts.js';
import { outcomeForSendRun } from './osascript-outcome.js';
import { ExecFileRunner, type ProcessRunner } from './process-runner.js';

export interface AppleScriptDriverConfig {
  /** How long an osascript send may run before its outcome is `unknown`. */
  sendTimeoutMs: number;
  healthTimeoutMs?: number;
  /** Injected for tests; defaults to this host. */
  platform?: NodeJS.Platform;
  runner?: ProcessRunner;
  /** Messages' database; readable only with Full Disk Access. A leading `~/` means the home directory. */
  chatDbPath?: string;
  osascriptPath?: string;
}

export class AppleScriptUnsupported extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppleScriptUnsupported';
  }
}

/**
 * Sends through Messages.app with osascript on the Mac itself. Send-only: it does not read
 * chat.db, so it reports no inbound/delivered/read events, cannot check iMessage availability,
 * and cannot reconcile an `unknown` send (the agent keeps such a message from being resent).
 */
export class AppleScriptDriver implements MessagesDriver {
  readonly name = 'applescript' as const;
  private readonly platform: NodeJS.Platform;
  private readonly runner: ProcessRunner;
  private readonly healthTimeoutMs: number;
  private readonly chatDbPath: string;
  private readonly osascriptPath: string;

  constructor(private readonly config: AppleScriptDriverConfig) {
    this.platform = config.platform ?? process.platform;
    this.runner = config.runner ?? new ExecFileRunner();
    this.healthTimeoutMs = config.healthTimeoutMs ?? 10_000;
    this.chatDbPath = expandHome(config.chatDbPath ?? '~/Library/Messages/chat.db');
    this.osascriptPath = config.osascriptPath ?? 'osascript';
  }

  async start(_onEvent: (event: DriverEvent) => void): Promise<void> {
    if (!this.onMac()) {
      throw new AppleScriptUnsupported(
        `the applescript driver needs macOS (osascript and Messages.app); this host runs ${this.platform}: use the bluebubbles or sim driver`,
      );
    }
  }

  async stop(): Promise<void> {}

  async send(request: DriverSendRequest): Promise<DriverSendOutcome> {
    if (!this.onMac()) return { state: 'failed', code: 'messages_unavailable', message: 'not running on macOS', retryable: true };
    if ((request.attachments?.length ?? 0) > 0 || request.body === undefined) {
      return { state: 'failed', code: 'bridge_error', message: 'the applescript driver sends text only', retryable: false };
    }
    let command;
    try {
      command = buildSendCommand(request.to, request.body);
    } catch (error) {
      if (!(error instanceof InvalidSendInput)) throw error;
      return { state: 'failed', code: 'invalid_recipient', message: error.message, retryable: false };
    }
    const result = await this.runner.run(this.osascriptPath, command.args, { timeoutMs: this.config.sendTimeoutMs });
    return outcomeForSendRun(result, this.config.sendTimeoutMs);
  }

  /** Without chat.db there is nothing to look in: the outcome stays unknown. */
  async reconcile(_request: DriverSendRequest, _since: Date): Promise<ReconcileOutcome> {
    return undefined;
  }

  async availability(_address: string): Promise<boolean> {
    throw new AppleScriptUnsupported('the applescript driver cannot check iMessage availability');
  }

  async health(): Promise<DriverHealth> {
    if (!this.onMac()) {
      return { healthy: false, messagesAppRunning: false, signals: {}, problems: [`not macOS (${this.platform})`] };
    }
    const problems: string[] = [];
    const running = buildMessagesRunningCommand();
    const pgrep = await this.runner.run(running.file, running.args, { timeoutMs: this.healthTimeoutMs });
    // pgrep: 0 = found, 1 = none; anything else is pgrep itself failing
    const messagesAppRunning = pgrep.exitCode === 0;
    if (!messagesAppRunning) problems.push(pgrep.exitCode === 1 ? 'messages app not running' : 'cannot tell whether Messages runs');
    const imessageSignedIn = messagesAppRunning ? await this.imessageEnabled(problems) : undefined;
    const diskAccess = await this.canReadChatDb();
    if (!diskAccess) problems.push('no full disk access to chat.db');
    return {
      healthy: problems.length === 0,
      messagesAppRunning,
      signals: { diskAccess, ...(imessageSignedIn === undefined ? {} : { imessageSignedIn }) },
      problems,
    };
  }

  private async imessageEnabled(problems: string[]): Promise<boolean | undefined> {
    const command = buildAccountStatusCommand();
    const result = await this.runner.run(this.osascriptPath, command.args, { timeoutMs: this.healthTimeoutMs });
    const status = result.stdout.trim();
    if (result.exitCode !== 0) {
      problems.push(`osascript cannot ask Messages: ${result.timedOut ? 'timed out' : result.stderr.trim()}`);
      return undefined;
    }
    if (status !== 'enabled') problems.push(`imessage account ${status || 'unknown'}`);
    return status === 'enabled';
  }

  /** Opening (not just stat-ing) the file is what Full Disk Access guards. */
  private async canReadChatDb(): Promise<boolean> {
    try {
      const handle = await open(this.chatDbPath, 'r');
      await handle.close();
      return true;
    } catch {
      return false;
    }
  }

  private onMac(): boolean {
    return this.platform === 'darwin';
  }
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}
