import { randomUUID } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import { builtinRunbooks } from '@bridgefleet/runbooks/builtin-runbooks.js';
import { HostKeyMismatch } from '@bridgefleet/runbooks/host-key.js';
import { resolvePrivateKey, PrivateKeyUnavailable } from '@bridgefleet/runbooks/private-key.js';
import { InvalidRunbookArguments, RunbookNotFound } from '@bridgefleet/runbooks/runbook.js';
import { RunbookCatalog } from '@bridgefleet/runbooks/runbook-catalog.js';
import { loadRunbookFile } from '@bridgefleet/runbooks/runbook-file.js';
import type { SshTarget } from '@bridgefleet/runbooks/ssh-connection.js';
import { runRunbook, type RunResult } from '@bridgefleet/runbooks/ssh-runner.js';
import { formatRunOutput } from '@bridgefleet/runbooks/run-output.js';
import type { Context } from './context.js';
import { CliError, EXIT } from './exit-codes.js';
import { NodeCache } from './node-cache.js';
import { PendingAudit, type PendingRun } from './pending-audit.js';

export interface DirectOptions {
  node: string;
  reason: string;
  host?: string;
  port?: string;
  user?: string;
  fingerprint?: string;
  identity?: string;
  runbooksFile?: string;
  connectTimeout: string;
}

function catalog(ctx: Context, file: string | undefined): RunbookCatalog {
  const extra = file ?? ctx.io.env.REMEDIATION_RUNBOOKS_FILE;
  return new RunbookCatalog([...builtinRunbooks(), ...(extra ? loadRunbookFile(extra) : [])]);
}

function target(ctx: Context, options: DirectOptions): { target: SshTarget; nodeId?: string; nodeName?: string } {
  const cached = new NodeCache(ctx.config.dir).find(options.node);
  const host = options.host ?? cached?.ssh?.host;
  const port = options.port ? Number(options.port) : cached?.ssh?.port;
  const username = options.user ?? cached?.ssh?.user;
  const hostKeyFingerprint = options.fingerprint ?? cached?.ssh?.hostKeyFingerprint;
  if (!host || !port || !username || !hostKeyFingerprint) {
    throw new CliError(
      `no SSH target for node ${options.node}: not in the local cache (run fleetctl get nodes while the API is up) and --host/--port/--user/--fingerprint not all given`,
      EXIT.usage,
    );
  }
  return {
    target: { host, port, username, hostKeyFingerprint },
    ...(cached ? { nodeId: cached.id, nodeName: cached.name } : { nodeName: options.node }),
  };
}

/**
 * Break-glass: the same runner, allowlist and host-key pinning as the control plane,
 * from this machine. Output streams as it comes; the run is written to the pending
 * audit file before anything else, then reported if the API happens to answer.
 */
export async function runDirect(
  ctx: Context,
  runbook: string,
  args: Record<string, string>,
  options: DirectOptions,
): Promise<RunResult['status']> {
  let plan;
  try {
    plan = catalog(ctx, options.runbooksFile).plan(runbook, args);
  } catch (error) {
    if (error instanceof RunbookNotFound || error instanceof InvalidRunbookArguments) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
  const where = target(ctx, options);
  let privateKey: Buffer;
  try {
    privateKey = resolvePrivateKey(
      { path: options.identity ?? ctx.io.env.SSH_PRIVATE_KEY_PATH, envName: ctx.io.env.SSH_PRIVATE_KEY_ENV },
      ctx.io.env,
    );
  } catch (error) {
    if (error instanceof PrivateKeyUnavailable) throw new CliError(error.message, EXIT.usage);
    throw error;
  }
  ctx.io.stderr(
    `break-glass: ${runbook} on ${where.nodeName ?? where.nodeId} (${where.target.username}@${where.target.host}:${where.target.port}) over SSH\n`,
  );
  const startedAt = new Date();
  let result: Pick<RunResult, 'status' | 'exitCode' | 'steps'> & { error?: string };
  try {
    result = await runRunbook(where.target, plan, {
      privateKey,
      readyTimeoutMs: Number(options.connectTimeout),
      keepaliveIntervalMs: 10_000,
      keepaliveCountMax: 3,
      onOutput: ctx.asJson ? undefined : (_, chunk) => ctx.io.stdout(chunk),
    });
  } catch (error) {
    if (!(error instanceof HostKeyMismatch)) throw error;
    result = { status: 'failed', exitCode: null, steps: [], error: `host key mismatch: ${error.message}` };
  }
  const finishedAt = new Date();
  const record: PendingRun = {
    id: randomUUID(),
    ...(where.nodeId ? { nodeId: where.nodeId } : {}),
    ...(where.nodeName ? { nodeName: where.nodeName } : {}),
    runbook: plan.runbook,
    arguments: plan.arguments,
    reason: options.reason,
    status: result.status,
    exitCode: result.exitCode,
    steps: result.steps.map((step) => ({ ...step })),
    output: formatRunOutput(result.steps, result.error ?? null),
    error: result.error ?? null,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    operator: `${userInfo().username}@${hostname()}`,
  };
  const pending = new PendingAudit(ctx.config.dir);
  pending.add(record);
  if (ctx.asJson) ctx.show(record, () => '');
  ctx.io.stderr(
    `break-glass run ${record.id} ${record.status}${record.exitCode === null ? '' : ` (exit ${record.exitCode})`}${record.error ? `: ${record.error}` : ''}\n`,
  );
  ctx.io.stderr('recorded in pending-audit.jsonl; it is reported to the audit log once the control plane answers\n');
  return result.status;
}
