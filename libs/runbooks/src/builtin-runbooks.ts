import { defineRunbook, enumArgument, type Runbook } from './runbook.js';

/**
 * The launchd labels a fleet uses for its agent and BlueBubbles. They come from
 * operator configuration and become enum values of the `label` argument, so a
 * caller can pick one but never type one.
 */
export interface BuiltinRunbookOptions {
  agentLabels: readonly [string, ...string[]];
  bluebubblesLabels: readonly [string, ...string[]];
}

export const DEFAULT_BUILTIN_OPTIONS: BuiltinRunbookOptions = {
  agentLabels: ['dev.bridgefleet.agent'],
  bluebubblesLabels: ['com.BlueBubbles.BlueBubbles-Server'],
};

// The agent and BlueBubbles run in the logged-in user's GUI session (Messages.app needs
// it), hence the gui/<uid> launchd domain; `-k` kills a running instance first.
const kickstart = (label: string) => `launchctl kickstart -k gui/$(id -u)/${label}`;

// Over SSH there is no TTY for a password prompt: `sudo -n` fails at once instead of
// hanging until the step times out when NOPASSWD is not configured for this command.
const SUDO = 'sudo -n';

// The BlueBubbles password is read by curl from a file on the Mac (`name@file`), so it
// never appears in a command line, in our database or in this code.
const SERVER_INFO =
  'curl -sS --max-time 10 -G --data-urlencode "password@$HOME/.bridgefleet/bluebubbles-password" http://127.0.0.1:1234/api/v1/server/info';

const TAIL_LINES = 200;

export function builtinRunbooks(options: BuiltinRunbookOptions = DEFAULT_BUILTIN_OPTIONS): Runbook[] {
  return [
    defineRunbook({
      name: 'restart-messages',
      description: 'Quit and relaunch Messages.app (private API helper down, AppleScript sends hanging).',
      timeoutSeconds: 60,
      arguments: {},
      steps: [
        { name: 'quit Messages', command: 'killall Messages || true', timeoutSeconds: 15 },
        { name: 'wait for exit', command: 'sleep 3', timeoutSeconds: 10 },
        { name: 'launch Messages', command: 'open -a Messages', timeoutSeconds: 20 },
        { name: 'check running', command: 'sleep 5; pgrep -x Messages', timeoutSeconds: 15 },
      ],
    }),
    defineRunbook({
      name: 'restart-bluebubbles',
      description: 'Restart the BlueBubbles server through launchd (BlueBubbles crashed, /ping fails).',
      timeoutSeconds: 60,
      arguments: { label: enumArgument(options.bluebubblesLabels, options.bluebubblesLabels[0]) },
      steps: [{ name: 'kickstart BlueBubbles', command: (args) => kickstart(args.label!), timeoutSeconds: 30 }],
    }),
    defineRunbook({
      name: 'restart-agent',
      description: 'Restart the bridgefleet node agent through launchd.',
      timeoutSeconds: 60,
      arguments: { label: enumArgument(options.agentLabels, options.agentLabels[0]) },
      steps: [{ name: 'kickstart agent', command: (args) => kickstart(args.label!), timeoutSeconds: 30 }],
    }),
    defineRunbook({
      name: 'collect-diagnostics',
      description: 'Collect agent and bridge logs, BlueBubbles server info, disk, uptime and clock drift.',
      timeoutSeconds: 120,
      arguments: {},
      steps: [
        { name: 'uptime', command: 'uptime', timeoutSeconds: 10, optional: true },
        { name: 'disk', command: 'df -h', timeoutSeconds: 15, optional: true },
        { name: 'clock drift', command: 'sntp time.apple.com', timeoutSeconds: 20, optional: true },
        { name: 'server info', command: SERVER_INFO, timeoutSeconds: 15, optional: true },
        {
          name: 'agent log',
          command: `tail -n ${TAIL_LINES} "$HOME/Library/Logs/bridgefleet/agent.log"`,
          timeoutSeconds: 10,
          optional: true,
        },
        {
          name: 'bridge log',
          command: `tail -n ${TAIL_LINES} "$HOME/Library/Logs/bluebubbles/main.log"`,
          timeoutSeconds: 10,
          optional: true,
        },
      ],
    }),
    defineRunbook({
      name: 'time-sync',
      description: 'Step the clock from time.apple.com (macos_time_sync drift of 5 s or more).',
      timeoutSeconds: 60,
      arguments: {},
      steps: [{ name: 'sntp set', command: `${SUDO} sntp -sS time.apple.com`, timeoutSeconds: 45 }],
    }),
    defineRunbook({
      name: 'reboot',
      description: 'Reboot the Mac (last rung of the ladder; the line is unreachable until it is back).',
      timeoutSeconds: 30,
      arguments: {},
      steps: [{ name: 'reboot', command: `${SUDO} shutdown -r now`, timeoutSeconds: 20 }],
    }),
  ];
}
