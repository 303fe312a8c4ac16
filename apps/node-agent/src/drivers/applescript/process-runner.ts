import { execFile } from 'node:child_process';

export interface ProcessResult {
  /** null when the process could not start or was killed. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a program with an argument vector. Never through a shell: arguments reach the program verbatim. */
export interface ProcessRunner {
  run(file: string, args: readonly string[], options: { timeoutMs: number }): Promise<ProcessResult>;
}

export class ExecFileRunner implements ProcessRunner {
  run(file: string, args: readonly string[], options: { timeoutMs: number }): Promise<ProcessResult> {
    return new Promise((resolve) => {
      execFile(
        file,
        [...args],
        { timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024, shell: false, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (!error) return resolve({ exitCode: 0, stdout, stderr, timedOut: false });
          const failure = error as Error & { killed?: boolean; signal?: string | null; code?: number | string };
          const timedOut = failure.killed === true && failure.signal === 'SIGKILL';
          const exitCode = typeof failure.code === 'number' ? failure.code : null;
          // a start failure (ENOENT, EACCES) has no stderr of its own: report the error instead
          resolve({ exitCode, stdout, stderr: stderr || (exitCode === null && !timedOut ? failure.message : ''), timedOut });
        },
      );
    });
  }
}
