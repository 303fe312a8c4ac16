import { hostname } from 'node:os';
import { AgentDriverName } from '@bridgefleet/contracts/agent.schema.js';
import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((value) => value === 'true' || value === '1' || value === 'yes');
const rate = z.coerce.number().min(0).max(1);
const ms = z.coerce.number().int().min(0);
const httpUrl = z.url({ protocol: /^https?$/ });
const pattern = z.string().transform((value, ctx) => {
  try {
    return new RegExp(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a regular expression' });
    return z.NEVER;
  }
});

/** Settings of the simulated Mac (driver `sim`), shared by a single agent and the simulated fleet. */
const SimSettings = {
  SIM_SEED: z.coerce.number().int().default(1),
  SIM_LATENCY_MS: ms.default(150),
  SIM_LATENCY_JITTER_MS: ms.default(100),
  SIM_FAILURE_RATE: rate.default(0),
  SIM_NO_IMESSAGE_PATTERN: pattern.default(/0000$/),
  SIM_RESPONSE_RATE: rate.default(0.3),
  SIM_REPLY_DELAY_MS: ms.default(5_000),
  SIM_DELIVERY_DELAY_MS: ms.default(500),
  SIM_BAN_MODEL: bool.default(false),
  SIM_BAN_DAILY_VOLUME: z.coerce.number().int().min(1).default(400),
  SIM_BAN_DAILY_NEW_CONTACTS: z.coerce.number().int().min(1).default(60),
  SIM_BAN_MAX_RATIO: z.coerce.number().positive().default(4),
  SIM_BAN_RATIO_MIN_SAMPLE: z.coerce.number().int().min(1).default(50),
};

/**
 * Every setting the node agent reads from the environment (`.env.example` lists them);
 * nothing else in the agent reads process.env.
 */
export const AgentConfigSchema = z.object({
  AGENT_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  /** Loopback unless told otherwise: the control plane reaches the Mac over a tunnel or VPN. */
  AGENT_HOST: z.string().min(1).default('127.0.0.1'),
  /** Bearer credential the control plane presents, and the HMAC key of the events the agent posts. */
  AGENT_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  AGENT_DRIVER: AgentDriverName.default('sim'),
  /** Send ledger and event outbox live here. */
  AGENT_DATA_DIR: z.string().min(1).default('./data/agent'),
  CONTROL_PLANE_URL: httpUrl.optional(),
  /** The node id the control plane gave this Mac at registration; events wait until it is set. */
  AGENT_NODE_ID: z.uuid().optional(),
  AGENT_BRIDGE_ID: z.string().min(1).max(200).default(hostname()),
  /** A send with no answer from the bridge by then is left pending and reconciled, never resent. */
  AGENT_SEND_TIMEOUT_MS: ms.default(150_000),
  AGENT_RECONCILE_INTERVAL_MS: ms.min(100).default(30_000),
  /** Event outbox retries: exponential from the base, full jitter, capped. */
  AGENT_OUTBOX_BASE_BACKOFF_MS: ms.min(10).default(500),
  AGENT_OUTBOX_MAX_BACKOFF_MS: ms.min(10).default(60_000),
  AGENT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Test hook: die by SIGKILL after recording a send (before-send) or after the bridge sent it (after-send). */
  AGENT_TEST_CRASH: z.enum(['off', 'after-record', 'after-send']).default('off'),
  ...SimSettings,
  BLUEBUBBLES_URL: httpUrl.default('http://127.0.0.1:1234'),
  BLUEBUBBLES_PASSWORD: z.string().optional(),
  BLUEBUBBLES_SEND_METHOD: z.enum(['apple-script', 'private-api']).default('apple-script'),
  /** Where BlueBubbles posts its webhooks (the agent's own URL as the Mac sees it). */
  BLUEBUBBLES_WEBHOOK_URL: httpUrl.optional(),
  BLUEBUBBLES_POLL_INTERVAL_MS: ms.default(15_000),
  /** Largest attachment the agent downloads and uploads to BlueBubbles (bytes; 25 MiB). */
  BLUEBUBBLES_ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(25 * 1024 * 1024),
  /** Deadline for downloading one attachment from its URL, redirects included. */
  BLUEBUBBLES_ATTACHMENT_TIMEOUT_MS: ms.min(1).default(60_000),
  /** Let attachment URLs point at loopback/private/link-local addresses (off: the Mac must not fetch its own network). */
  BLUEBUBBLES_ATTACHMENT_ALLOW_PRIVATE: bool.default(false),
  APPLESCRIPT_OSASCRIPT: z.string().min(1).default('/usr/bin/osascript'),
  APPLESCRIPT_CHAT_DB: z.string().min(1).default('~/Library/Messages/chat.db'),
  APPLESCRIPT_POLL_INTERVAL_MS: ms.default(5_000),
});
export type AgentConfig = z.infer<typeof AgentConfigSchema>;

/** The simulated fleet: many sim agents in one process. */
export const SimFleetConfigSchema = z.object({
  SIM_FLEET_SIZE: z.coerce.number().int().min(1).max(10_000).default(8),
  SIM_FLEET_PORT: z.coerce.number().int().min(0).max(65535).default(8790),
  SIM_FLEET_HOST: z.string().min(1).default('127.0.0.1'),
  /** Base URL the control plane uses to reach the fleet (e.g. http://sim-fleet:8790 in compose). */
  SIM_FLEET_PUBLIC_URL: httpUrl.optional(),
  SIM_FLEET_NAME_PREFIX: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .default('sim-mac'),
  /** First line number; each node takes the next valid one. */
  SIM_FLEET_FIRST_NUMBER: z
    .string()
    .regex(/^\+1\d{10}$/)
    .default('+12062000001'),
  /** Agent credentials are derived from this and the node name, so a re-run matches what is registered. */
  SIM_FLEET_SECRET: z.string().min(16).default('bridgefleet-sim-fleet-secret'),
  SIM_FLEET_DATA_DIR: z.string().min(1).optional(),
  CONTROL_PLANE_URL: httpUrl.optional(),
  SIM_API_KEY: z.string().optional(),
  BRIDGEFLEET_ADMIN_KEY: z.string().optional(),
  AGENT_LOG_LEVEL: AgentConfigSchema.shape.AGENT_LOG_LEVEL,
  ...SimSettings,
});
export type SimFleetConfig = z.infer<typeof SimFleetConfigSchema>;

export class ConfigError extends Error {}

function parse<T extends z.ZodType>(schema: T, env: Record<string, string | undefined>): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`invalid node-agent configuration:\n${lines.join('\n')}`);
}

export const loadAgentConfig = (env: Record<string, string | undefined> = process.env): AgentConfig => parse(AgentConfigSchema, env);
export const loadSimFleetConfig = (env: Record<string, string | undefined> = process.env): SimFleetConfig =>
  parse(SimFleetConfigSchema, env);
