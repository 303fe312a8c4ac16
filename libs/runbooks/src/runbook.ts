import { z } from 'zod';

/**
 * A runbook is data: a name, a description, an overall timeout, arguments that can
 * only take enumerated values, and steps. A step's command is either a fixed string
 * or a function of the already-validated arguments that returns a fixed string, so
 * nothing a caller typed ever reaches the remote shell: only values from the enum.
 */
export type RunbookArgs = Record<string, string>;

export interface RunbookStep {
  name: string;
  command: string | ((args: RunbookArgs) => string);
  timeoutSeconds: number;
  /** A failing optional step (e.g. one diagnostic that is not available) does not fail the run. */
  optional?: boolean;
}

export interface Runbook {
  name: string;
  description: string;
  timeoutSeconds: number;
  /** One zod enum per argument; arguments absent from the request take the schema's default. */
  arguments: Record<string, z.ZodType<string>>;
  steps: readonly RunbookStep[];
}

/** A step ready to run: its command fully resolved. */
export interface PlannedStep {
  name: string;
  command: string;
  timeoutSeconds: number;
  optional: boolean;
}

export interface RunbookPlan {
  runbook: string;
  arguments: RunbookArgs;
  timeoutSeconds: number;
  steps: PlannedStep[];
}

export interface ArgumentError {
  path: string;
  message: string;
}

export class RunbookNotFound extends Error {
  constructor(readonly runbook: string) {
    super(`runbook "${runbook}" is not in the allowlist`);
    this.name = 'RunbookNotFound';
  }
}

export class InvalidRunbookArguments extends Error {
  constructor(
    readonly runbook: string,
    readonly errors: ArgumentError[],
  ) {
    super(`invalid arguments for runbook "${runbook}": ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
    this.name = 'InvalidRunbookArguments';
  }
}

/**
 * Enumerated values are pasted into commands as whole tokens, so they are restricted
 * to characters no shell treats specially; a definition breaking this fails at start-up.
 */
export const SAFE_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._@/-]{0,127}$/;
const RUNBOOK_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** An argument that may only take one of `values` (each a shell-safe token). */
export function enumArgument(values: readonly [string, ...string[]], fallback?: string): z.ZodType<string> {
  for (const value of values) {
    if (!SAFE_TOKEN.test(value)) throw new Error(`argument value ${JSON.stringify(value)} is not a shell-safe token`);
  }
  const schema = z.enum(values as [string, ...string[]]);
  return fallback === undefined ? schema : schema.default(fallback as never);
}

/** The enumerated values of an argument schema, for listings and for the final safety check. */
export function enumValues(schema: z.ZodType<string>): string[] {
  const inner = schema instanceof z.ZodDefault ? (schema.def.innerType as z.ZodType) : schema;
  if (!(inner instanceof z.ZodEnum)) throw new Error('runbook arguments must be zod enums');
  return inner.options.map(String);
}

export function defaultValue(schema: z.ZodType<string>): string | undefined {
  const parsed = schema.safeParse(undefined);
  return parsed.success ? parsed.data : undefined;
}

/** Checks a runbook definition once, at registration: names, timeouts, enum-only arguments. */
export function defineRunbook(runbook: Runbook): Runbook {
  if (!RUNBOOK_NAME.test(runbook.name)) throw new Error(`runbook name ${JSON.stringify(runbook.name)} must match ${RUNBOOK_NAME}`);
  if (!(runbook.timeoutSeconds > 0)) throw new Error(`runbook ${runbook.name}: timeoutSeconds must be positive`);
  if (runbook.steps.length === 0) throw new Error(`runbook ${runbook.name} has no steps`);
  for (const [name, schema] of Object.entries(runbook.arguments)) {
    if (!/^[a-z][a-zA-Z0-9]{0,39}$/.test(name)) throw new Error(`runbook ${runbook.name}: bad argument name ${name}`);
    for (const value of enumValues(schema)) {
      if (!SAFE_TOKEN.test(value)) throw new Error(`runbook ${runbook.name}: value ${JSON.stringify(value)} is not shell-safe`);
    }
  }
  for (const step of runbook.steps) {
    if (!(step.timeoutSeconds > 0)) throw new Error(`runbook ${runbook.name}, step ${step.name}: timeoutSeconds must be positive`);
  }
  return runbook;
}

/** Validates the caller's arguments against the runbook's enums (unknown names rejected). */
export function parseRunbookArguments(runbook: Runbook, input: unknown): RunbookArgs {
  const schema = z.strictObject(runbook.arguments);
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data as RunbookArgs;
  const errors = result.error.issues.flatMap((issue): ArgumentError[] => {
    const path = ['arguments', ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: `arguments.${key}`, message: 'unknown argument' }));
    return [{ path, message: issue.message }];
  });
  throw new InvalidRunbookArguments(runbook.name, errors);
}

/** Resolves every step's command from validated arguments. */
export function planRunbook(runbook: Runbook, input: unknown): RunbookPlan {
  const args = parseRunbookArguments(runbook, input);
  // Defence in depth: even after zod, only enumerated shell-safe values go any further.
  for (const [name, value] of Object.entries(args)) {
    const schema = runbook.arguments[name];
    if (!schema || !enumValues(schema).includes(value) || !SAFE_TOKEN.test(value)) {
      throw new InvalidRunbookArguments(runbook.name, [{ path: `arguments.${name}`, message: 'not an allowed value' }]);
    }
  }
  return {
    runbook: runbook.name,
    arguments: args,
    timeoutSeconds: runbook.timeoutSeconds,
    steps: runbook.steps.map((step) => ({
      name: step.name,
      command: typeof step.command === 'string' ? step.command : step.command(args),
      timeoutSeconds: step.timeoutSeconds,
      optional: step.optional ?? false,
    })),
  };
}
