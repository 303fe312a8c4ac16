import { z } from 'zod';

export const SCOPES = ['messages:write', 'messages:read', 'fleet:read', 'fleet:write', 'remediation:run', 'admin'] as const;
export const Scope = z.enum(SCOPES);
export type Scope = z.infer<typeof Scope>;

export const CreateKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z
    .array(Scope)
    .min(1)
    .refine((scopes) => new Set(scopes).size === scopes.length, 'scopes must not repeat'),
});
export type CreateKeyBody = z.infer<typeof CreateKeyBody>;

export const KeyView = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(Scope),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type KeyView = z.infer<typeof KeyView>;

export const CreatedKey = KeyView.extend({
  key: z.string().meta({ description: 'The full key. Shown only in this response; store it now.' }),
});
