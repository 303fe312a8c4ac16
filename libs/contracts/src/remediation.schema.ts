import { z } from 'zod';
import { Reason, Uuid } from './common.schema.js';

export const RemediationStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'timed_out']);
export type RemediationStatus = z.infer<typeof RemediationStatus>;

/**
 * Arguments are checked against the runbook's own enumerations by the service; here
 * only their shape: names to short strings. Nothing here ever reaches a shell as typed.
 */
export const RemediationArguments = z.record(z.string().max(40), z.string().max(200));

export const StartRemediationBody = z.strictObject({
  runbook: z.string().min(1).max(64),
  reason: Reason,
  arguments: RemediationArguments.optional(),
});
export type StartRemediationBody = z.infer<typeof StartRemediationBody>;

export const RemediationStepView = z.object({
  name: z.string(),
  status: z.enum(['succeeded', 'failed', 'timed_out']),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  durationMs: z.number().int(),
  output: z.string(),
  truncated: z.boolean(),
});

export const RemediationRunView = z.object({
  id: Uuid,
  nodeId: Uuid,
  runbook: z.string(),
  arguments: z.record(z.string(), z.string()),
  reason: z.string(),
  requestedBy: z.string(),
  automatic: z.boolean(),
  status: RemediationStatus,
  exitCode: z.number().int().nullable(),
  output: z.string(),
  steps: z.array(RemediationStepView),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type RemediationRunView = z.infer<typeof RemediationRunView>;

export const RemediationListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type RemediationListQuery = z.infer<typeof RemediationListQuery>;

export const RunbookView = z.object({
  name: z.string(),
  description: z.string(),
  timeoutSeconds: z.number(),
  arguments: z.record(z.string(), z.object({ values: z.array(z.string()), default: z.string().optional() })),
  steps: z.array(z.object({ name: z.string(), timeoutSeconds: z.number(), optional: z.boolean(), command: z.string().optional() })),
});

/** Payload of the `remediation.finished` webhook event. */
export const RemediationFinished = z.object({
  runId: Uuid,
  nodeId: Uuid,
  runbook: z.string(),
  status: z.enum(['succeeded', 'failed', 'timed_out']),
  exitCode: z.number().int().nullable(),
  reason: z.string(),
  requestedBy: z.string(),
  automatic: z.boolean(),
  error: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string(),
  durationMs: z.number().int(),
});
export type RemediationFinished = z.infer<typeof RemediationFinished>;
