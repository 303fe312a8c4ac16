import { describe, expect, it } from 'vitest';
import { buildMessagesRunningCommand, buildSendCommand, isValidRecipient, SEND_MESSAGE_SCRIPT } from './messages-scripts.js';

describe('buildSendCommand', () => {
  const hostileBodies = [
    'plain text',
    'she said "hi" and left',
    'ends with a quote"',
    'back\\slash and \\" escaped quote',
    'line one\nline two\r\nline three',
    'tabs\tand form\ffeeds',
    'emoji 👋🏽 ümlaut 中文 RTL \u202Etxet',
    '" & (do shell script "rm -rf ~") & "',
    '$(touch /tmp/pwned) `id` ; | && >',
    '-e looks like an option',
    '--',
    'end tell\nend run\non run argv',
  ];

  it.each(hostileBodies)('passes the body %j verbatim as an argument, never inside the script', (body) => {
    const command = buildSendCommand('+15551234567', body);
    expect(command.file).toBe('osascript');
    expect(command.args).toEqual(['-e', SEND_MESSAGE_SCRIPT, '--', '+15551234567', body]);
    expect(command.args[1]).toBe(SEND_MESSAGE_SCRIPT);
  });

  it('uses one constant script whatever the input', () => {
    const scripts = new Set(['a', '"', '\\', '\n'].map((body) => buildSendCommand('someone@example.com', body).args[1]));
    expect(scripts).toEqual(new Set([SEND_MESSAGE_SCRIPT]));
    expect(SEND_MESSAGE_SCRIPT).toContain('on run argv');
    expect(SEND_MESSAGE_SCRIPT).toContain('item 1 of argv is "--"');
    expect(SEND_MESSAGE_SCRIPT).not.toMatch(/do shell script/);
  });

  it.each(['+15551234567', '+447700900123', 'someone@example.com', 'First.Last+tag@mail.example.co.uk'])('accepts the handle %s', (to) => {
    expect(isValidRecipient(to)).toBe(true);
    expect(buildSendCommand(to, 'hi').args[3]).toBe(to);
  });

  it.each([
    '',
    '5551234567',
    '+1 555 123 4567',
    '+0123456789',
    '-e',
    '--',
    '+15551234567\n',
    'x@y.z"',
    'a"@example.com',
    '" & quit & "',
    '-x@example.com',
  ])('refuses the recipient %j', (to) => {
    expect(isValidRecipient(to)).toBe(false);
    expect(() => buildSendCommand(to, 'hi')).toThrow(/not an iMessage handle/);
  });

  it('refuses bodies argv cannot carry', () => {
    expect(() => buildSendCommand('+15551234567', 'cut\0here')).toThrow(/NUL/);
    expect(() => buildSendCommand('+15551234567', '')).toThrow(/empty/);
  });

  it('checks Messages by exact process name', () => {
    expect(buildMessagesRunningCommand()).toEqual({ file: 'pgrep', args: ['-x', 'Messages'] });
  });
});
