import { randomBytes } from 'node:crypto';
import { ensureDatabase, migrate } from '@bridgefleet/db/migrator.js';
import { migrationsDir } from '@bridgefleet/db/migrations-dir.js';

/**
 * A freshly migrated database of its own for a test file whose world must not see
 * other files' nodes and lines (routing considers every line in the registry).
 * Named after the run's database, so the run's teardown drops it too.
 */
export async function freshDatabase(): Promise<string> {
  const runUrl = process.env.TEST_DATABASE_URL;
  if (!runUrl) throw new Error('TEST_DATABASE_URL is not set: run end-to-end tests through vitest');
  const url = new URL(runUrl);
  url.pathname = `${url.pathname}_${randomBytes(3).toString('hex')}`;
  await ensureDatabase(url.toString());
  await migrate(url.toString(), migrationsDir());
  return url.toString();
}
