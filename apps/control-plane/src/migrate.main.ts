import { ensureDatabase, migrate } from '@bridgefleet/db/migrator.js';
import { migrationsDir } from '@bridgefleet/db/migrations-dir.js';
import { loadConfigOrExit } from './config/load-config.js';

/** `npm run migrate`: creates the database if needed, applies pending migrations, exits. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const database = decodeURIComponent(new URL(config.DATABASE_URL).pathname.slice(1));
  if (await ensureDatabase(config.DATABASE_URL)) process.stdout.write(`created database ${database}\n`);
  const result = await migrate(config.DATABASE_URL, migrationsDir());
  for (const name of result.applied) process.stdout.write(`applied ${name}\n`);
  process.stdout.write(`database ${database} is up to date (${result.applied.length + result.alreadyApplied.length} migrations)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bridgefleet: migration failed: ${(error as Error).message}\n`);
  process.exit(1);
});
