import type { ClientChannel } from 'ssh2';
import { BoundedOutput } from './bounded-output.js';
import type { PlannedStep, RunbookPlan } from './runbook.js';
import { SshConnection, SshTimeout, type SshConnectOptions, type SshTarget } from './ssh-connection.js';

export type StepStatus = 'succeeded' | 'failed' | 'timed_out';
export type RunStatus = 'succeeded' | 'failed' | 'timed_out';

export interface StepResult {
  name: string;
  status: StepStatus;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  output: string;
  truncated: boolean;
}

export interface RunResult {
  status: RunStatus;
  /** The exit code that decided the run: the first failing required step's, else 0; null when none finished. */
  exitCode: number | null;
  steps: StepResult[];
  /** Why the run stopped early (connection refused, handshake timeout, step timeout…). */
  error?: string;
  durationMs: number;
}

export interface RunOptions extends SshConnectOptions {
  /** Bytes of output kept per step (stdout and stderr interleaved); the rest is dropped and marked. */
  maxStepOutputBytes?: number;
  /** Live output, e.g. for a CLI that streams the run. */
  onOutput?: (stepIndex: number, chunk: string) => void;
  onStepFinished?: (stepIndex: number, step: StepResult) => void;
  now?: () => number;
}

export const DEFAULT_MAX_STEP_OUTPUT_BYTES = 64 * 1024;

/**
 * Runs a planned runbook on one host over SSH: steps in order, each with its own timeout,
 * the whole run bounded by the runbook's timeout. The first failing required step stops
 * the run. A host key that does not match the pin throws HostKeyMismatch before any
 * command runs; every other outcome is returned as a result.
 */
export async function runRunbook(target: SshTarget, plan: RunbookPlan, options: RunOptions): Promise<RunResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = started + plan.timeoutSeconds * 1000;
  const finish = (status: RunStatus, steps: StepResult[], exitCode: number | null, error?: string): RunResult => ({
    status,
    exitCode,
    steps,
    durationMs: now() - started,
    ...(error ? { error } : {}),
  });

  let connection: SshConnection;
  try {
    connection = await SshConnection.connect(target, {
      ...options,
      readyTimeoutMs: Math.min(options.readyTimeoutMs, plan.timeoutSeconds * 1000),
    });
  } catch (error) {
    if (error instanceof SshTimeout) return finish('timed_out', [], null, error.message);
    if ((error as Error).name === 'HostKeyMismatch') throw error;
    return finish('failed', [], null, (error as Error).message);
  }

  const steps: StepResult[] = [];
  try {
    for (const [index, step] of plan.steps.entries()) {
      const remainingMs = deadline - now();
      if (remainingMs <= 0) return finish('timed_out', steps, null, `runbook exceeded ${plan.timeoutSeconds} s`);
      const budgetMs = Math.min(step.timeoutSeconds * 1000, remainingMs);
      const result = await runStep(connection, step, budgetMs, index, options, now);
      steps.push(result);
      options.onStepFinished?.(index, result);
      if (result.status === 'timed_out') {
        const which =
          budgetMs < step.timeoutSeconds * 1000
            ? `runbook exceeded ${plan.timeoutSeconds} s`
            : `step "${step.name}" exceeded ${step.timeoutSeconds} s`;
        return finish('timed_out', steps, result.exitCode, connection.lost instanceof SshTimeout ? connection.lost.message : which);
      }
      if (result.status === 'failed' && !step.optional) {
        return finish('failed', steps, result.exitCode, connection.lost?.message ?? `step "${step.name}" failed`);
      }
    }
    // Optional steps (diagnostics) may fail without failing the run.
    return finish('succeeded', steps, 0);
  } finally {
    connection.close();
  }
}

function runStep(
  connection: SshConnection,
  step: PlannedStep,
  budgetMs: number,
  index: number,
  options: RunOptions,
  now: () => number,
): Promise<StepResult> {
  const started = now();
  const output = new BoundedOutput(options.maxStepOutputBytes ?? DEFAULT_MAX_STEP_OUTPUT_BYTES);
  return new Promise<StepResult>((resolve) => {
    let channel: ClientChannel | undefined;
    let exitCode: number | null = null;
    let signal: string | null = null;
    let settled = false;
    const settle = (status: StepStatus) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stopWatchingConnection();
      resolve({
        name: step.name,
        status,
        exitCode,
        signal,
        durationMs: now() - started,
        output: output.text(),
        truncated: output.truncated,
      });
    };
    const timer = setTimeout(() => {
      // A hung command: ask sshd to kill it, then drop the connection so nothing lingers.
      try {
        channel?.signal('KILL');
      } catch {
        // the channel may already be gone
      }
      connection.close();
      settle('timed_out');
    }, budgetMs);
    const stopWatchingConnection = connection.onLost((reason) => settle(reason instanceof SshTimeout ? 'timed_out' : 'failed'));

    connection.exec(step.command).then(
      (opened) => {
        channel = opened;
        const onData = (chunk: Buffer) => {
          output.append(chunk);
          options.onOutput?.(index, chunk.toString('utf8'));
        };
        opened.on('data', onData);
        opened.stderr.on('data', onData);
        opened.on('exit', (code: number | null, signalName?: string) => {
          exitCode = typeof code === 'number' ? code : null;
          signal = signalName ?? null;
        });
        opened.on('close', () => settle(exitCode === 0 ? 'succeeded' : 'failed'));
      },
      (error: Error) => {
        output.append(Buffer.from(`could not start the command: ${error.message}\n`));
        settle('failed');
      },
    );
  });
}
