import type { StepResult } from '@bridgefleet/runbooks/ssh-runner.js';

/** The run's combined output as an operator reads it: each step under a header, then why it stopped. */
export function formatRunOutput(steps: readonly StepResult[], error: string | null): string {
  const parts = steps.map((step) => {
    const outcome = step.status === 'timed_out' ? 'timed out' : step.signal ? `signal ${step.signal}` : `exit ${step.exitCode ?? '?'}`;
    const truncated = step.truncated ? '\n[output truncated]' : '';
    return `== ${step.name} (${outcome}, ${step.durationMs} ms) ==\n${step.output}${truncated}`;
  });
  if (error) parts.push(`== stopped: ${error} ==`);
  return parts.join('\n');
}
