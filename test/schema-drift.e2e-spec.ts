import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '@bridgefleet/db/migrator.js';
import { migrationsDir } from '@bridgefleet/db/migrations-dir.js';
import { actualSchema, type ActualSchema } from './schema-drift/actual-schema.js';
import { expectedSchema, readDmmf } from './schema-drift/expected-schema.js';
import type { SchemaShape } from './schema-drift/schema-shape.js';

/**
 * schema.prisma types the code; the SQL migrations build the database. This proves
 * they describe the same thing, on the database global-setup migrated for this run.
 */

// Partial indexes live only in SQL (Prisma states them only behind a preview feature).
// Each one is deliberate: name it here with the reason.
const SQL_ONLY_INDEXES: Record<string, string> = {
  remediation_runs_one_active_per_node_key: 'one queued or running remediation per node',
};

const SCHEMA_PATH = fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url));

describe('schema drift: schema.prisma vs the SQL migrations', () => {
  let client: pg.Client;
  let expected: SchemaShape;
  let actual: ActualSchema;

  beforeAll(async () => {
    client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    expected = expectedSchema(readDmmf(SCHEMA_PATH));
    actual = await actualSchema(client);
  });
  afterAll(async () => {
    await client?.end();
  });

  it('has one table per model and no other', () => {
    expect(Object.keys(actual.tables)).toEqual(Object.keys(expected.tables));
    expect(Object.keys(expected.tables).length).toBeGreaterThanOrEqual(15);
  });

  it('has every field as a column with its type, nullability and default', () => {
    for (const [table, columns] of Object.entries(expected.tables)) {
      expect(actual.tables[table], `table ${table}`).toEqual(columns);
    }
  });

  it('has every enum with its values in order', () => {
    expect(actual.enums).toEqual(expected.enums);
  });

  it('has the same primary keys, unique constraints and indexes', () => {
    expect(actual.indexes).toEqual(expected.indexes);
    expect(actual.partialIndexes.filter((name) => !(name in SQL_ONLY_INDEXES))).toEqual([]);
  });

  it('has the same foreign keys and referential actions', () => {
    expect(actual.foreignKeys).toEqual(expected.foreignKeys);
  });

  it('recorded every migration folder as finished, with its sha256 checksum', async () => {
    const folders = await readMigrations(migrationsDir());
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations"
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
    );
    expect(rows).toEqual(folders.map((folder) => ({ migration_name: folder.name, checksum: folder.checksum })));
    expect(folders.every((folder) => /^[0-9a-f]{64}$/.test(folder.checksum))).toBe(true);
  });
});
