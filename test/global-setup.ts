import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureDatabase, migrate } from '@bridgefleet/db/migrator.js';
import { migrationsDir } from '@bridgefleet/db/migrations-dir.js';
import { assertServicesAnswer, TEST_PG_ADMIN_URL } from '@bridgefleet/testing/services.js';

/**
 * One database per test run (created here, dropped at the end), never the demo's;
 * one Redis key prefix per run as well. Files read them from the environment.
 */
export default async function setup(): Promise<() => Promise<void>> {
  await assertServicesAnswer();
  const name = `bridgefleet_test_${randomBytes(4).toString('hex')}`;
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  process.env.TEST_DATABASE_URL = url.toString();
  process.env.TEST_REDIS_PREFIX = `bftest${randomBytes(3).toString('hex')}`;
  await ensureDatabase(url.toString());
  await migrate(url.toString(), migrationsDir());
  return async () => {
    const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
    await admin.connect();
    // The run's database and the per-file ones made by libs/testing/src/databases.ts.
    const made = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2', [
      name,
      `${name}\\_%`,
    ]);
    for (const { datname } of made.rows) await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
    await admin.end();
  };
}
