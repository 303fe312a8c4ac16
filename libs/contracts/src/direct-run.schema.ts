import { z } from 'zod';
import { IsoDateTime, Reason, Uuid } from './common.schema.js';
import { RemediationArguments, RemediationStepView } from './remediation.schema.js';

/**
 * A break-glass run (`fleetctl run --direct`) that an operator ran over SSH from their
 * own machine while the control plane was down, reported once the API answers again.
 * The client generates the id, so reporting the same run twice records it once.
 */
export const DirectRunRecordBody = z.strictObject({
  id: Uuid,
  nodeId: Uuid,
  runbook: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/),
  arguments: RemediationArguments.optional(),
  reason: Reason,
  status: z.enum(['succeeded', 'failed', 'timed_out']),
  exitCode: z.number().int().nullable(),
  steps: z.array(RemediationStepView.extend({ output: z.string().max(256 * 1024) })).max(100),
  output: z.string().max(1024 * 1024),
  error: z.string().max(2_000).nullable(),
  startedAt: IsoDateTime,
  finishedAt: IsoDateTime,
  /** Who ran it, as the local machine knows them (user@host). */
  operator: z.string().min(1).max(200),
});
export type DirectRunRecordBody = z.infer<typeof DirectRunRecordBody>;
