import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import pg from 'pg';
import { generateApiKey } from '@bridgefleet/contracts/api-key-format.js';
import { Context, type Io } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { fields } from '../output.js';

export function registerKeys(program: Command, io: Io): void {
  const keys = program.command('keys').description('API keys');
  keys
    .command('create')
    .description('Create an API key; the key is printed once. --admin writes the first admin key straight to the database (DATABASE_URL)')
    .option('--name <name>', 'a name for the key', 'fleetctl')
    .option('--scope <scope...>', 'scopes: messages:write messages:read fleet:read fleet:write remediation:run admin')
    .option('--admin', 'bootstrap an admin key without the API, in the database at DATABASE_URL')
    .action(async (options: { name: string; scope?: string[]; admin?: boolean }, command: Command) => {
      const ctx = Context.of(command, io);
      const created = options.admin ? await createAdminInDatabase(options.name, io.env.DATABASE_URL) : await createViaApi(ctx, options);
      ctx.show(created, (key: any) =>
        [
          fields([
            ['ID', key.id],
            ['Name', key.name],
            ['Scopes', key.scopes],
            ['Key', key.key],
          ]),
          '',
          'Store the key now: it is not shown again.',
        ].join('\n'),
      );
    });
}

function createViaApi(ctx: Context, options: { name: string; scope?: string[] }) {
  if (!options.scope?.length) throw new CliError('give at least one --scope (or --admin)', EXIT.usage);
  return ctx.api.post('/v1/keys', { name: options.name, scopes: options.scope });
}

/** The first admin key, before any key exists to call the API with: same format and hashing as the API, audited. */
async function createAdminInDatabase(name: string, databaseUrl: string | undefined) {
  if (!databaseUrl) throw new CliError('keys create --admin needs DATABASE_URL (the control plane database)', EXIT.usage);
  const generated = generateApiKey();
  const id = randomUUID();
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new CliError(`cannot reach the database: ${(error as Error).message}`, EXIT.unavailable);
  }
  try {
    await client.query('BEGIN');
    const row = await client.query<{ created_at: Date }>(
      'INSERT INTO api_keys (id, name, prefix, secret_hash, scopes) VALUES ($1, $2, $3, $4, $5) RETURNING created_at',
      [id, name, generated.prefix, generated.secretHash, ['admin']],
    );
    await client.query(
      "INSERT INTO audit_events (actor, action, target_type, target_id, result, detail) VALUES ('system:fleetctl', 'key.create', 'api_key', $1, 'ok', $2)",
      [id, JSON.stringify({ name, scopes: ['admin'], via: 'fleetctl keys create --admin' })],
    );
    await client.query('COMMIT');
    return { id, name, prefix: generated.prefix, scopes: ['admin'], createdAt: row.rows[0]!.created_at.toISOString(), key: generated.key };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new CliError(`could not store the key: ${(error as Error).message}`, EXIT.error);
  } finally {
    await client.end();
  }
}
