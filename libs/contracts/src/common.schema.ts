import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js/max';
import { z } from 'zod';

/** E.164 as Apple and carriers use it: `+` then country code and number, and a number that exists. */
export const E164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number such as +14155550123')
  .refine((value) => isValidPhoneNumber(value), 'is not a valid phone number for its country code')
  .meta({ description: 'E.164 phone number', example: '+14155550123' });

const Email = z.email({ message: 'must be an E.164 phone number or an email address' }).max(254);

/**
 * A contact handle: E.164 or an email address (iMessage accepts both).
 * Phone numbers are normalised to E.164; emails are lower-cased.
 */
export const ContactHandle = z
  .string()
  .min(3)
  .max(254)
  .superRefine((value, ctx) => {
    if (value.startsWith('+')) {
      if (!/^\+[1-9]\d{6,14}$/.test(value) || !isValidPhoneNumber(value)) {
        ctx.addIssue({ code: 'custom', message: 'is not a valid E.164 phone number' });
      }
      return;
    }
    if (!Email.safeParse(value).success) {
      ctx.addIssue({ code: 'custom', message: 'must be an E.164 phone number or an email address' });
    }
  })
  .transform((value) => (value.startsWith('+') ? parsePhoneNumberWithError(value).number : value.toLowerCase()))
  .meta({ description: 'E.164 phone number or email address', example: '+14155550123' });

/** An absolute http(s) URL (attachments, webhook endpoints). */
export const HttpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

export const Uuid = z.uuid();

export const IsoDateTime = z.iso.datetime({ offset: true });

export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

export const Page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const Reason = z.string().trim().min(1).max(500);

/** Free-form labels, Kubernetes-style: short keys, short string values. */
export const Labels = z
  .record(z.string().regex(/^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/i, 'label keys are 1-63 of [a-z0-9._/-]'), z.string().max(253))
  .refine((labels) => Object.keys(labels).length <= 64, 'at most 64 labels');

export const ProblemDetails = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ProblemDetails = z.infer<typeof ProblemDetails>;
