/**
 * The AppleScript the driver runs. The scripts are constants: the recipient and the body
 * reach them only as `on run argv` arguments passed by execFile, so no message text is ever
 * parsed as AppleScript (or shell). `--` ends osascript's own options so a body starting with
 * "-" stays an argument; the script drops that `--` if osascript hands it through.
 */
export const SEND_MESSAGE_SCRIPT = `on run argv
	if (count of argv) > 0 and item 1 of argv is "--" then set argv to rest of argv
	set targetAddress to item 1 of argv
	set messageBody to item 2 of argv
	tell application "Messages"
		set imessageAccount to 1st account whose service type = iMessage
		set targetParticipant to participant targetAddress of imessageAccount
		send messageBody to targetParticipant
	end tell
end run`;

/** Asks only when Messages is already running: telling it anything would launch it. */
export const IMESSAGE_ACCOUNT_STATUS_SCRIPT = `on run argv
	if application "Messages" is not running then return "not-running"
	tell application "Messages"
		set imessageAccounts to (every account whose service type = iMessage)
		if (count of imessageAccounts) = 0 then return "no-account"
		if enabled of item 1 of imessageAccounts then return "enabled"
		return "disabled"
	end tell
end run`;

export interface Command {
  file: string;
  args: string[];
}

const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

/** iMessage handles are E.164 numbers or e-mail addresses; nothing else goes near osascript. */
export function isValidRecipient(address: string): boolean {
  return E164.test(address) || (EMAIL.test(address) && !address.startsWith('-'));
}

export class InvalidSendInput extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidSendInput';
  }
}

export function buildSendCommand(to: string, body: string): Command {
  if (!isValidRecipient(to)) throw new InvalidSendInput(`not an iMessage handle: ${JSON.stringify(to)}`);
  // argv strings are C strings: a NUL would silently cut the message short
  if (body.includes('\0')) throw new InvalidSendInput('the message body contains a NUL character');
  if (body.length === 0) throw new InvalidSendInput('the message body is empty');
  return { file: 'osascript', args: ['-e', SEND_MESSAGE_SCRIPT, '--', to, body] };
}

export function buildAccountStatusCommand(): Command {
  return { file: 'osascript', args: ['-e', IMESSAGE_ACCOUNT_STATUS_SCRIPT] };
}

/** Exact process name, so "Messages Helper" and friends do not count. */
export function buildMessagesRunningCommand(): Command {
  return { file: 'pgrep', args: ['-x', 'Messages'] };
}
