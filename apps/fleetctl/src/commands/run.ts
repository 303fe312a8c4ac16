import type { Command } from 'commander';
import { Context, type Io } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { runDirect, type DirectOptions } from '../direct-run.js';
import { findNode } from '../resolve.js';

interface RunOptions extends DirectOptions {
  node: string;
  reason: string;
  arg: string[];
  direct?: boolean;
  interval: string;
}

const FINISHED = new Set(['succeeded', 'failed', 'timed_out']);

export function parseArgs(pairs: readonly string[]): Record<string, string> {
  const args: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new CliError(`--arg ${pair}: expected name=value`, EXIT.usage);
    args[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return args;
}

export function registerRun(program: Command, io: Io): void {
  program
    .command('run')
    .summary('Run a runbook on a node and follow its output (--direct: break-glass over SSH)')
    .description(
      'Run an allowlisted runbook on a node and follow its output until it ends (exit 7 if it failed or timed out).\n\n' +
        'Break-glass, --direct (control plane down): runs it over SSH from this machine with the same runner, allowlist and\n' +
        'host-key pinning. The node comes from the local cache (nodes.json, written by get nodes / describe node) or from\n' +
        '--host/--port/--user/--fingerprint; the key from --identity or SSH_PRIVATE_KEY_PATH. The run is kept in\n' +
        'pending-audit.jsonl and reported to the audit log by the next fleetctl command that reaches the API.',
    )
    .argument('<runbook>', 'runbook name (see fleetctl runbooks)')
    .requiredOption('--node <node>', 'node id or name')
    .requiredOption('--reason <text>', 'why, for the audit log')
    .option('--arg <name=value>', 'runbook argument (repeatable)', (value: string, all: string[]) => [...all, value], [] as string[])
    .option('--interval <ms>', 'how often to poll the run', '500')
    .option('--direct', 'break-glass: run over SSH from this machine')
    .option('--host <host>', 'with --direct: SSH host (overrides the cache)')
    .option('--port <port>', 'with --direct: SSH port')
    .option('--user <user>', 'with --direct: SSH user')
    .option('--fingerprint <SHA256:...>', 'with --direct: pinned host key fingerprint')
    .option('--identity <path>', 'with --direct: SSH private key file (default SSH_PRIVATE_KEY_PATH)')
    .option('--runbooks-file <path>', 'with --direct: extra runbook file, as the control plane uses (default REMEDIATION_RUNBOOKS_FILE)')
    .option('--connect-timeout <ms>', 'with --direct: SSH handshake timeout', '20000')
    .action(async (runbook: string, options: RunOptions, command: Command) => {
      const ctx = Context.of(command, io);
      const args = parseArgs(options.arg);
      if (options.direct) {
        const status = await runDirect(ctx, runbook, args, options);
        if (status !== 'succeeded') throw new CliError(`run ${status}`, EXIT.runFailed);
        return;
      }
      const node = await findNode(ctx.api, options.node);
      const accepted = await ctx.api.post(`/v1/nodes/${node.id}/remediations`, {
        runbook,
        reason: options.reason,
        ...(Object.keys(args).length ? { arguments: args } : {}),
      });
      if (!ctx.asJson) io.stderr(`run ${accepted.id}: ${runbook} on ${node.name} queued\n`);
      const run = await follow(ctx, accepted.id, Number(options.interval));
      if (ctx.asJson) ctx.show(run, () => '');
      else
        io.stderr(
          `run ${run.id} ${run.status}${run.exitCode === null ? '' : ` (exit ${run.exitCode})`}${run.error ? `: ${run.error}` : ''}\n`,
        );
      if (run.status !== 'succeeded') throw new CliError(`run ${run.status}`, EXIT.runFailed);
    });
}

/** Polls the run, printing the output that arrived since the last look, until it finishes. */
async function follow(ctx: Context, id: string, intervalMs: number): Promise<any> {
  let printed = '';
  for (;;) {
    const run = await ctx.api.get<any>(`/v1/remediations/${id}`);
    const output: string = run.output ?? '';
    if (!ctx.asJson && output !== printed) {
      // The stored output only grows while a run goes on; if it was rewritten, show it whole.
      ctx.io.stdout(output.startsWith(printed) ? output.slice(printed.length) : `\n${output}`);
      printed = output;
    }
    if (FINISHED.has(run.status)) {
      if (!ctx.asJson && printed && !printed.endsWith('\n')) ctx.io.stdout('\n');
      return run;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(50, intervalMs)));
  }
}
