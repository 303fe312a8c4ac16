import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((value) => value === 'true' || value === '1' || value === 'yes');

const url = (protocols: RegExp) =>
  z.string().refine((value) => {
    try {
      return protocols.test(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'must be a URL');

export const Role = z.enum(['api', 'worker', 'poller', 'all']);
export type Role = z.infer<typeof Role>;

/**
 * Every setting the control plane reads from the environment. `.env.example`
 * lists the same names; nothing else in the code reads process.env.
 */
export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: url(/^postgres(ql)?:$/).default('postgresql://postgres@127.0.0.1:5432/bridgefleet'),
  REDIS_URL: url(/^rediss?:$/).default('redis://127.0.0.1:6379/0'),
  /** Prefix for every Redis key and BullMQ queue, so several deployments (or tests) share a Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9:_-]{1,40}$/)
    .default('bf'),
  /** Optional bootstrap admin key (bf_<prefix>_<secret>); upserted at start, never logged. */
  BRIDGEFLEET_ADMIN_KEY: z
    .string()
    .regex(/^bf_[a-z0-9]{8}_[A-Za-z0-9]{32,64}$/, 'must look like bf_<8 lowercase alphanumerics>_<32-64 alphanumerics>')
    .optional(),
  ROLES: z
    .string()
    .default('all')
    .transform((value) => value.split(',').map((role) => role.trim()))
    .pipe(z.array(Role).min(1)),
  /** Apply pending SQL migrations at start (the API refuses to serve on a schema it does not know). */
  MIGRATE_ON_START: bool.default(true),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'must be a size such as 256kb')
    .default('256kb'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seconds a client should wait before retrying after a 503. */
  RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
});

export type AppConfig = z.infer<typeof ConfigSchema>;
