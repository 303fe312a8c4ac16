// Used by `npm run demo`: says exactly which service does not answer and how to start it.
// Exit 0 when PostgreSQL and Redis answer at DATABASE_URL / REDIS_URL and PORT is free.
import net from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';

const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/bridgefleet';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

const redacted = (value) => {
  const url = new URL(value);
  if (url.password) url.password = '***';
  return url.toString();
};

async function postgres() {
  // The demo database may not exist yet (the control plane creates it): ask the maintenance one.
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redis() {
  const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  let cause;
  client.on('error', (error) => (cause = error));
  try {
    await client.connect().catch((error) => {
      throw cause ?? error;
    });
    await client.ping();
  } finally {
    client.disconnect();
  }
}

function portFree() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

const checks = [
  {
    name: `PostgreSQL at ${redacted(databaseUrl)}`,
    run: postgres,
    fix: [
      'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
      'or: docker compose up -d postgres redis',
      'or point DATABASE_URL at a PostgreSQL you have (user with CREATE DATABASE)',
    ],
  },
  {
    name: `Redis at ${redacted(redisUrl)}`,
    run: redis,
    fix: [
      `redis-server --daemonize yes --bind 127.0.0.1 --port ${new URL(redisUrl).port || 6379} --save "" --appendonly no`,
      'or: docker compose up -d postgres redis',
      'or point REDIS_URL at a Redis 7 you have (maxmemory-policy noeviction)',
    ],
  },
  {
    name: `port ${port} on ${host} is free`,
    run: portFree,
    fix: [`stop what listens on ${port}, or choose another port: PORT=3001 npm run demo`],
  },
];

let failed = 0;
for (const check of checks) {
  try {
    await check.run();
    console.log(`ok   ${check.name}`);
  } catch (error) {
    failed += 1;
    console.error(`FAIL ${check.name}: ${error.message || error.code || error}`);
    for (const line of check.fix) console.error(`     ${line}`);
  }
}
process.exit(failed ? 1 : 0);
