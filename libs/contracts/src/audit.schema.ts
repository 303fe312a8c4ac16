import { z } from 'zod';

export const AuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().regex(/^\d+$/, 'must be a cursor from a previous page').optional(),
  targetType: z.string().max(50).optional(),
  targetId: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  actor: z.string().max(200).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEventView = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  reason: z.string().nullable(),
  result: z.string(),
  detail: z.unknown().nullable(),
});
