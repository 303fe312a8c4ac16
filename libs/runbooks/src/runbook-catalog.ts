import { defaultValue, enumValues, planRunbook, RunbookNotFound, type Runbook, type RunbookPlan } from './runbook.js';

export interface RunbookSummary {
  name: string;
  description: string;
  timeoutSeconds: number;
  arguments: Record<string, { values: string[]; default?: string }>;
  steps: { name: string; timeoutSeconds: number; optional: boolean; command?: string }[];
}

/** The allowlist: only runbooks registered here can run, by name. */
export class RunbookCatalog {
  private readonly byName = new Map<string, Runbook>();

  constructor(runbooks: readonly Runbook[]) {
    for (const runbook of runbooks) {
      if (this.byName.has(runbook.name)) throw new Error(`runbook "${runbook.name}" is defined twice`);
      this.byName.set(runbook.name, runbook);
    }
  }

  get(name: string): Runbook {
    const runbook = this.byName.get(name);
    if (!runbook) throw new RunbookNotFound(name);
    return runbook;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Looks the runbook up and validates the arguments; throws RunbookNotFound / InvalidRunbookArguments. */
  plan(name: string, args: unknown): RunbookPlan {
    return planRunbook(this.get(name), args);
  }

  list(): RunbookSummary[] {
    return [...this.byName.values()].map((runbook) => ({
      name: runbook.name,
      description: runbook.description,
      timeoutSeconds: runbook.timeoutSeconds,
      arguments: Object.fromEntries(
        Object.entries(runbook.arguments).map(([name, schema]) => {
          const fallback = defaultValue(schema);
          return [name, { values: enumValues(schema), ...(fallback === undefined ? {} : { default: fallback }) }];
        }),
      ),
      steps: runbook.steps.map((step) => ({
        name: step.name,
        timeoutSeconds: step.timeoutSeconds,
        optional: step.optional ?? false,
        // Commands that depend on an argument are shown through the argument values instead.
        ...(typeof step.command === 'string' ? { command: step.command } : {}),
      })),
    }));
  }
}
