import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { defineRunbook, enumArgument, SAFE_TOKEN, type Runbook, type RunbookArgs } from './runbook.js';

const PLACEHOLDER = /\{\{([a-zA-Z0-9]+)\}\}/g;

/**
 * Site-specific runbooks written by the operator as JSON (the same shape as the
 * built-ins). A command may name an argument as `{{name}}`; only that argument's
 * enumerated, shell-safe values are ever put there.
 */
const RunbookFileEntry = z.strictObject({
  name: z.string(),
  description: z.string().min(1),
  timeoutSeconds: z.number().positive().max(3600),
  arguments: z
    .record(z.string(), z.strictObject({ values: z.array(z.string().regex(SAFE_TOKEN)).min(1), default: z.string().optional() }))
    .default({}),
  steps: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        command: z.string().min(1),
        timeoutSeconds: z.number().positive().max(3600),
        optional: z.boolean().optional(),
      }),
    )
    .min(1),
});
export const RunbookFile = z.array(RunbookFileEntry);
type RunbookFileEntry = z.infer<typeof RunbookFileEntry>;

function template(entry: RunbookFileEntry, command: string): string | ((args: RunbookArgs) => string) {
  const names = [...command.matchAll(PLACEHOLDER)].map((match) => match[1]!);
  for (const name of names) {
    if (!entry.arguments[name]) throw new Error(`runbook ${entry.name}: {{${name}}} is not a declared argument`);
  }
  if (names.length === 0) return command;
  return (args) => command.replace(PLACEHOLDER, (_, name: string) => args[name]!);
}

export function runbookFromData(entry: RunbookFileEntry): Runbook {
  return defineRunbook({
    name: entry.name,
    description: entry.description,
    timeoutSeconds: entry.timeoutSeconds,
    arguments: Object.fromEntries(
      Object.entries(entry.arguments).map(([name, spec]) => [name, enumArgument(spec.values as [string, ...string[]], spec.default)]),
    ),
    steps: entry.steps.map((step) => ({ ...step, command: template(entry, step.command) })),
  });
}

/** Reads and checks a runbook file at start-up; any problem stops the process with its reason. */
export function loadRunbookFile(path: string): Runbook[] {
  const parsed = RunbookFile.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(`runbook file ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data.map(runbookFromData);
}
