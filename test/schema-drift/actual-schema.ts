import type pg from 'pg';
import { byName, sortedRecord, type ColumnShape, type ForeignKeyShape, type IndexShape, type SchemaShape } from './schema-shape.js';

const ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
const IGNORED_TABLES = ['_prisma_migrations'];

export interface ActualSchema extends SchemaShape {
  /** Indexes with a WHERE clause or expressions: schema.prisma cannot state them. */
  partialIndexes: string[];
}

/** `'{}'::jsonb` → value:{}, `nextval('…'::regclass)` → autoincrement, CURRENT_TIMESTAMP → now. */
function normalizeDefault(expression: string | null): string | null {
  if (expression === null) return null;
  if (/^nextval\(/.test(expression)) return 'autoincrement';
  if (/^(CURRENT_TIMESTAMP|now\(\))$/i.test(expression)) return 'now';
  let value = expression;
  for (let cast = /::("[^"]+"|[a-z_ ]+)(\(\d+(,\d+)?\))?(\[\])?$/i; cast.test(value);) value = value.replace(cast, '');
  const quoted = /^'(.*)'$/s.exec(value);
  return `value:${quoted ? quoted[1]!.replace(/''/g, "'") : value}`;
}

// Column names of a pg_constraint / pg_index key vector, in key order.
const keyColumns = (keys: string, relation: string) =>
  `array(SELECT a.attname::text FROM unnest(${keys}) WITH ORDINALITY k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = ${relation} AND a.attnum = k.attnum ORDER BY k.ord)`;

/** What the migrated database actually holds (schema public), read from pg_catalog. */
export async function actualSchema(client: pg.Client): Promise<ActualSchema> {
  const columns = await client.query<{ table: string; column: string; type: string; not_null: boolean; default: string | null }>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE c.relkind IN ('r', 'p') AND c.relname <> ALL($1)`,
    [IGNORED_TABLES],
  );
  const tables = new Map<string, [string, ColumnShape][]>();
  for (const row of columns.rows) {
    const shape = { type: row.type.replace(/"/g, ''), notNull: row.not_null, default: normalizeDefault(row.default) };
    tables.set(row.table, [...(tables.get(row.table) ?? []), [row.column, shape]]);
  }

  const enums = await client.query<{ name: string; values: string[] }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace AND n.nspname = 'public'
       JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
  );

  const indexes = await client.query<{
    table: string;
    name: string;
    primary: boolean;
    unique: boolean;
    columns: string[];
    partial: boolean;
  }>(
    `SELECT t.relname AS table, i.relname AS name, x.indisprimary AS primary, x.indisunique AS unique,
            ${keyColumns('x.indkey::int2[]', 't.oid')} AS columns,
            (x.indpred IS NOT NULL OR x.indexprs IS NOT NULL) AS partial
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
      WHERE t.relname <> ALL($1)`,
    [IGNORED_TABLES],
  );

  const foreignKeys = await client.query<{
    table: string;
    name: string;
    columns: string[];
    references: string;
    referenced_columns: string[];
    on_delete: string;
    on_update: string;
  }>(
    `SELECT t.relname AS table, c.conname AS name, ${keyColumns('c.conkey', 'c.conrelid')} AS columns,
            f.relname AS references, ${keyColumns('c.confkey', 'c.confrelid')} AS referenced_columns,
            c.confdeltype AS on_delete, c.confupdtype AS on_update
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       JOIN pg_class f ON f.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
      WHERE c.contype = 'f'`,
  );

  return {
    tables: sortedRecord([...tables].map(([table, cols]): [string, Record<string, ColumnShape>] => [table, sortedRecord(cols)])),
    enums: sortedRecord(enums.rows.map((row): [string, string[]] => [row.name, row.values])),
    indexes: indexes.rows
      .filter((row) => !row.partial)
      .map((row): IndexShape => ({
        table: row.table,
        name: row.name,
        kind: row.primary ? 'primary' : row.unique ? 'unique' : 'index',
        columns: row.columns,
      }))
      .sort(byName),
    partialIndexes: indexes.rows
      .filter((row) => row.partial)
      .map((row) => row.name)
      .sort(),
    foreignKeys: foreignKeys.rows
      .map((row): ForeignKeyShape => ({
        table: row.table,
        name: row.name,
        columns: row.columns,
        references: row.references,
        referencedColumns: row.referenced_columns,
        onDelete: ACTIONS[row.on_delete]!,
        onUpdate: ACTIONS[row.on_update]!,
      }))
      .sort(byName),
  };
}
