/**
 * One measured world of `npm run bench:send`: a scratch database and Redis prefix, the
 * control plane and the simulated fleet each in a child process, N nodes and lines
 * registered straight into the database as healthy (no health poller: the probes would
 * compete with the pipeline for the same two cores), caps and pacing opened wide.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { Redis } from 'ioredis';
import { generateApiKey } from '@bridgefleet/contracts/api-key-format.js';
import { ask, startChild, stopChild } from './send-processes.js';

/** Every cap at its maximum, no gap, no warm-up, the ratio and unanswered rules out of reach. */
export const WIDE_OPEN_LIMITS = {
  dailyCap: 100_000,
  dailyNewContacts: 10_000,
  hourlyNewContacts: 10_000,
  maxRatio: 100,
  ratioMinSample: 100_000,
  minGapSeconds: 0,
  maxUnanswered: 1_000,
  warmupDays: 0,
};

interface Agent {
  name: string;
  agentUrl: string;
  agentToken: string;
  phoneNumber: string;
  appleId: string;
}

export interface World {
  baseUrl: string;
  adminKey: string;
  redisPrefix: string;
  db: pg.Client;
  controlPlane: ChildProcess;
  fleet: ChildProcess;
  sentBySims(): Promise<number>;
  /**
   * Contacts with a conversation two days ago and no line yet: each is routed to a line
   * round-robin like a new one, but is not a first contact, so the governor's first-contact
   * response-rate hold (20 unanswered first contacts per line per 7 days) cannot stop the run.
   */
  seedContacts(handles: string[]): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(lines: number, pgAdminUrl: string, redisUrl: string): Promise<World> {
  const tag = randomBytes(4).toString('hex');
  const database = `bridgefleet_bench_${tag}`;
  const databaseUrl = new URL(pgAdminUrl);
  databaseUrl.pathname = `/${database}`;
  const redisPrefix = `bfbench${tag}`;
  const adminKey = generateApiKey().key;
  const children: ChildProcess[] = [];
  let db: pg.Client | undefined;
  const close = async () => {
    for (const child of children.reverse()) await stopChild(child);
    await db?.end();
    await dropDatabase(pgAdminUrl, database);
    await dropRedisPrefix(redisUrl, redisPrefix);
  };
  try {
    const cp = await startChild<{ port: number }>(
      './send-control-plane.js',
      [],
      {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl.toString(),
        REDIS_URL: redisUrl,
        REDIS_PREFIX: redisPrefix,
        BRIDGEFLEET_ADMIN_KEY: adminKey,
        ROLES: 'all',
        MIGRATE_ON_START: 'true',
        LOG_LEVEL: 'warn',
        HEALTH_POLLER_ENABLED: 'false',
        AUTO_REMEDIATION_ENABLED: 'false',
      },
      'port',
    );
    children.push(cp.child);
    const baseUrl = `http://127.0.0.1:${cp.ready.port}`;
    const fleet = await startChild<{ agents: Agent[] }>('./send-sim-fleet.js', [String(lines), baseUrl], process.env, 'ready');
    children.push(fleet.child);
    db = new pg.Client({ connectionString: databaseUrl.toString() });
    await db.connect();
    const members = await register(db, fleet.ready.agents);
    await ask(fleet.child, { members }, 'registered');
    const patch = await fetch(`${baseUrl}/v1/fleet/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ limits: WIDE_OPEN_LIMITS }),
    });
    if (patch.status !== 200) throw new Error(`PATCH /v1/fleet/settings answered ${patch.status}: ${await patch.text()}`);
    return {
      baseUrl,
      adminKey,
      redisPrefix,
      db,
      controlPlane: cp.child,
      fleet: fleet.child,
      sentBySims: () => ask<number>(fleet.child, { count: true }, 'sent'),
      seedContacts: async (handles) => {
        await db!.query(
          `INSERT INTO contacts (handle, last_inbound_at, last_outbound_at, updated_at)
           SELECT handle, now() - interval '2 days', now() - interval '2 days', now() FROM unnest($1::text[]) AS u(handle)`,
          [handles],
        );
      },
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/** Nodes (healthy) and their lines (active, good, warmed up) in one statement each. */
async function register(db: pg.Client, agents: Agent[]): Promise<Array<{ nodeId: string; lineId: string }>> {
  const members = agents.map(() => ({ nodeId: randomUUID(), lineId: randomUUID() }));
  await db.query(
    `INSERT INTO nodes (id, name, agent_url, agent_token, health_state, health_changed_at, last_checked_at, updated_at)
     SELECT id, name, url, token, 'healthy', now(), now(), now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS u(id, name, url, token)`,
    [members.map((m) => m.nodeId), agents.map((a) => a.name), agents.map((a) => a.agentUrl), agents.map((a) => a.agentToken)],
  );
  await db.query(
    `INSERT INTO lines (id, phone_number, apple_id, node_id, admin, reputation, warmup_started_at, updated_at)
     SELECT id, phone, apple, node, 'active', 'good', now() - interval '60 days', now()
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[]) AS u(id, phone, apple, node)`,
    [members.map((m) => m.lineId), agents.map((a) => a.phoneNumber), agents.map((a) => a.appleId), members.map((m) => m.nodeId)],
  );
  return members;
}

async function dropDatabase(pgAdminUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: pgAdminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Deletes this run's keys only (never FLUSHDB: the Redis is shared). */
export async function dropRedisPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1_000);
      if (keys.length) await redis.unlink(...keys);
      cursor = nextCursor;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
