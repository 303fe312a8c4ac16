import { Command, CommanderError } from 'commander';
import { Api } from './api.js';
import { registerDescribe } from './commands/describe.js';
import { registerGet } from './commands/get.js';
import { registerKeys } from './commands/keys.js';
import { registerLifecycle } from './commands/lifecycle.js';
import { registerRun } from './commands/run.js';
import { registerSimple } from './commands/simple.js';
import { resolveConfig, type GlobalOptions } from './config.js';
import type { Io } from './context.js';
import { CliError, EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { PendingAudit } from './pending-audit.js';

const CONFIG_HELP = `
Server and key: --server/--key, else FLEETCTL_SERVER/FLEETCTL_KEY, else the file
$XDG_CONFIG_HOME/fleetctl/config (default ~/.config/fleetctl/config), JSON
{"server": "...", "key": "..."} or lines "server = ..." and "key = ...".
${EXIT_CODES_HELP}`;

/** Break-glass runs waiting in pending-audit.jsonl are reported by any command that reaches the API. */
async function flushPendingRuns(command: Command, io: Io): Promise<void> {
  const options = command.optsWithGlobals<GlobalOptions & { direct?: boolean; admin?: boolean }>();
  if (options.direct || options.admin) return;
  const config = resolveConfig(options, io.env);
  const pending = new PendingAudit(config.dir);
  if (pending.list().length === 0) return;
  const reported = await pending.flush(new Api(config.server, config.key, 5_000), (text) => io.stderr(`warning: ${text}\n`));
  if (reported > 0) io.stderr(`reported ${reported} break-glass run(s) to the audit log\n`);
}

export function buildProgram(io: Io): Command {
  const program = new Command('fleetctl')
    .description('Operate a bridgefleet: nodes, lines, messages, remediation.')
    .option('-s, --server <url>', 'control plane URL')
    .option('-k, --key <key>', 'API key (bf_…)')
    .option('-o, --output <format>', 'table or json', 'table')
    .addHelpText('after', CONFIG_HELP)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  program.hook('preAction', (_program, action) => flushPendingRuns(action, io));
  registerGet(program, io);
  registerDescribe(program, io);
  registerLifecycle(program, io);
  registerSimple(program, io);
  registerRun(program, io);
  registerKeys(program, io);
  // Every subcommand reports errors the same way and lists the exit codes in its --help.
  const configure = (command: Command) => {
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).addHelpText('after', EXIT_CODES_HELP);
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}

/** Runs fleetctl with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      io.stderr(`error: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`error: ${(error as Error).message ?? String(error)}\n`);
    return EXIT.error;
  }
}
