/** One normalized shape for both sides of the drift check, so a mismatch prints as a readable diff. */

export interface ColumnShape {
  type: string;
  notNull: boolean;
  /** null, 'autoincrement', 'now', or 'value:<literal or expression>' */
  default: string | null;
}

export interface IndexShape {
  table: string;
  name: string;
  kind: 'primary' | 'unique' | 'index';
  columns: string[];
}

export interface ForeignKeyShape {
  table: string;
  name: string;
  columns: string[];
  references: string;
  referencedColumns: string[];
  onDelete: string;
  onUpdate: string;
}

export interface SchemaShape {
  tables: Record<string, Record<string, ColumnShape>>;
  enums: Record<string, string[]>;
  indexes: IndexShape[];
  foreignKeys: ForeignKeyShape[];
}

export const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

export function sortedRecord<T>(entries: [string, T][]): Record<string, T> {
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
}
