import { describe, expect, it } from 'vitest';
import { AppleScriptDriver } from './applescript.driver.js';
import { SEND_MESSAGE_SCRIPT } from './messages-scripts.js';
import type { ProcessResult, ProcessRunner } from './process-runner.js';

/** Records what would run and answers from a table, keyed by program name. */
class ScriptedRunner implements ProcessRunner {
  readonly calls: { file: string; args: readonly string[]; timeoutMs: number }[] = [];
  constructor(private readonly answers: Record<string, Partial<ProcessResult>>) {}

  async run(file: string, args: readonly string[], options: { timeoutMs: number }): Promise<ProcessResult> {
    this.calls.push({ file, args, timeoutMs: options.timeoutMs });
    const key = file === 'osascript' && args[1] !== SEND_MESSAGE_SCRIPT ? 'osascript-status' : file;
    return { exitCode: 0, stdout: '', stderr: '', timedOut: false, ...this.answers[key] };
  }
}

const request = { messageId: '0b7a1f0e-4a55-4c1e-9a55-3b0f6b7f2c11', to: '+15551234567', body: 'hi "there"\n\\o/' };

describe('AppleScriptDriver', () => {
  it('refuses to start anywhere but macOS', async () => {
    const driver = new AppleScriptDriver({ sendTimeoutMs: 1_000, platform: 'linux', runner: new ScriptedRunner({}) });
    await expect(driver.start(() => undefined)).rejects.toThrow(/needs macOS .* this host runs linux/);
    await expect(new AppleScriptDriver({ sendTimeoutMs: 1_000, platform: 'darwin' }).start(() => undefined)).resolves.toBeUndefined();
  });

  it('sends with osascript, body and recipient as arguments', async () => {
    const runner = new ScriptedRunner({});
    const driver = new AppleScriptDriver({ sendTimeoutMs: 30_000, platform: 'darwin', runner });
    expect(await driver.send(request)).toEqual({ state: 'sent' });
    expect(runner.calls).toEqual([
      { file: 'osascript', args: ['-e', SEND_MESSAGE_SCRIPT, '--', request.to, request.body], timeoutMs: 30_000 },
    ]);
  });

  it.each([
    [{ timedOut: true, exitCode: null }, { state: 'unknown' }],
    [
      { exitCode: 1, stderr: 'execution error: Not authorized to send Apple events to Messages. (-1743)' },
      { state: 'failed', code: 'messages_unavailable', retryable: true },
    ],
    [
      { exitCode: 1, stderr: 'execution error: Messages got an error: Can’t get participant "x". (-1728)' },
      { state: 'failed', code: 'invalid_recipient', retryable: false },
    ],
    [
      { exitCode: 1, stderr: 'execution error: Messages got an error: Can’t get account 1 whose … (-1728)' },
      { state: 'failed', code: 'messages_unavailable' },
    ],
    [{ exitCode: 1, stderr: 'execution error: Messages got an error: Connection is invalid. (-609)' }, { state: 'unknown' }],
    [
      { exitCode: null, stderr: 'spawn osascript ENOENT' },
      { state: 'failed', code: 'messages_unavailable', retryable: true },
    ],
  ])('maps osascript result %j to %j', async (result, outcome) => {
    const driver = new AppleScriptDriver({ sendTimeoutMs: 1_000, platform: 'darwin', runner: new ScriptedRunner({ osascript: result }) });
    expect(await driver.send(request)).toMatchObject(outcome);
  });

  it('never runs osascript for a recipient that is not a handle', async () => {
    const runner = new ScriptedRunner({});
    const driver = new AppleScriptDriver({ sendTimeoutMs: 1_000, platform: 'darwin', runner });
    expect(await driver.send({ ...request, to: '" & quit & "' })).toMatchObject({ state: 'failed', code: 'invalid_recipient' });
    expect(runner.calls).toEqual([]);
  });

  it('cannot reconcile or check availability, and says so', async () => {
    const driver = new AppleScriptDriver({ sendTimeoutMs: 1_000, platform: 'darwin', runner: new ScriptedRunner({}) });
    expect(await driver.reconcile(request, new Date())).toBeUndefined();
    await expect(driver.availability('+15551234567')).rejects.toThrow(/cannot check iMessage availability/);
  });

  it('reports health from pgrep, the iMessage account and chat.db access', async () => {
    const healthy = new AppleScriptDriver({
      sendTimeoutMs: 1_000,
      platform: 'darwin',
      chatDbPath: process.execPath, // any readable file stands in for chat.db
      runner: new ScriptedRunner({ pgrep: { exitCode: 0 }, 'osascript-status': { stdout: 'enabled\n' } }),
    });
    expect(await healthy.health()).toEqual({
      healthy: true,
      messagesAppRunning: true,
      signals: { diskAccess: true, imessageSignedIn: true },
      problems: [],
    });

    const down = new AppleScriptDriver({
      sendTimeoutMs: 1_000,
      platform: 'darwin',
      chatDbPath: '/nonexistent/chat.db',
      runner: new ScriptedRunner({ pgrep: { exitCode: 1 } }),
    });
    expect(await down.health()).toEqual({
      healthy: false,
      messagesAppRunning: false,
      signals: { diskAccess: false },
      problems: ['messages app not running', 'no full disk access to chat.db'],
    });
  });
});
