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
  // Connections this process keeps to PostgreSQL: route workers, dispatch turns and the API share them.
  DATABASE_POOL_MAX: z.coerce.number().int().min(2).max(200).default(10),
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
  /** Per-line usage series on /metrics: only the N lines closest to their daily cap (0: none). Bounds cardinality. */
  METRICS_PER_LINE_LIMIT: z.coerce.number().int().min(0).max(10_000).default(100),
  /** Seconds a client should wait before retrying after a 503. */
  RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  // --- health poller ---
  /** Run the health poller in this process (with ROLES poller or all); tests that do not need it turn it off. */
  HEALTH_POLLER_ENABLED: bool.default(true),
  /** Overrides the fleet's pollIntervalSeconds in ms (tests and benchmarks poll faster than 1 s). */
  HEALTH_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).optional(),
  /** Probes in flight at once per poller process. */
  HEALTH_PROBE_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(256),
  /** A node whose health did not change is written to PostgreSQL at most this often (10,000 nodes polled every 10 s). */
  HEALTH_WRITE_EVERY_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
  /** Outbox relay poll interval (ms); a commit in the same process also wakes it at once. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  /** Webhook retry delays after the first try, e.g. "5s,30s,2m"; each delay is jittered (full jitter). */
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .regex(/^\s*\d+(ms|s|m|h)\s*(,\s*\d+(ms|s|m|h)\s*)*$/, 'must be durations such as 5s,30s,2m,10m,30m,2h,5h')
    .default('5s,30s,2m,10m,30m,2h,5h,10h'),
  /** How often the webhook sender looks for due deliveries (ms). */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  // --- dispatch (send pipeline) ---
  /** Run the router and dispatcher in this process (with ROLES worker or all). */
  DISPATCH_ENABLED: bool.default(true),
  /** Ready-set shards; lines are spread over them (each shard is one Redis Cluster slot). */
  DISPATCH_SHARDS: z.coerce.number().int().min(1).max(1024).default(8),
  /** Lines this process may send on at the same time. */
  DISPATCH_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(64),
  /** How long a claimed line stays leased to a worker; a dead worker's lines come back after it. */
  DISPATCH_LEASE_MS: z.coerce.number().int().min(1_000).max(600_000).default(90_000),
  /** Time to wait for an agent's answer to a send before asking it what happened. */
  AGENT_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  /** Attempts before a retryable send failure becomes final. */
  DISPATCH_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** How often the reconciler rebuilds dispatch state from PostgreSQL. */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  // --- remediation (SSH runbooks) ---
  /** File holding the SSH private key used for remediation (read at each run, never logged). */
  SSH_PRIVATE_KEY_PATH: z.string().min(1).optional(),
  /** Name of an environment variable holding the SSH private key itself (used when no path is set). */
  SSH_PRIVATE_KEY_ENV: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]{0,63}$/, 'must be an environment variable name')
    .optional(),
  /** Time allowed for TCP connect + SSH handshake + authentication. */
  SSH_READY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(20_000),
  SSH_KEEPALIVE_INTERVAL_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Unanswered keepalives before the connection counts as dead (the run then times out). */
  SSH_KEEPALIVE_COUNT_MAX: z.coerce.number().int().min(1).max(100).default(3),
  /** Optional JSON file of site-specific runbooks added to the built-in allowlist. */
  REMEDIATION_RUNBOOKS_FILE: z.string().min(1).optional(),
  /** launchd labels the restart-agent / restart-bluebubbles runbooks may target (comma-separated). */
  REMEDIATION_AGENT_LABELS: z.string().default('dev.bridgefleet.agent'),
  REMEDIATION_BLUEBUBBLES_LABELS: z.string().default('com.BlueBubbles.BlueBubbles-Server'),
  /** Run the auto-remediation ladder in this process (with ROLES poller or all); the fleet settings hold its on/off switch. */
  AUTO_REMEDIATION_ENABLED: bool.default(true),
  /** How often every degraded/unreachable node is reconciled (health events and finished runs also trigger it). */
  AUTO_REMEDIATION_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
});

export type AppConfig = z.infer<typeof ConfigSchema>;
