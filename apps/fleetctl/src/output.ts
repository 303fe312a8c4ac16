export type Row = Record<string, unknown>;
export interface Column<T> {
  header: string;
  value: (item: T) => unknown;
}

function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).replace(/\s+/g, ' ');
}

/** Aligned columns, headers in capitals, like kubectl; the last column is not padded. */
export function table<T>(items: readonly T[], columns: ReadonlyArray<Column<T>>): string {
  const rows = [columns.map((column) => column.header), ...items.map((item) => columns.map((column) => cell(column.value(item))))];
  const widths = columns.map((_, index) => Math.max(...rows.map((row) => row[index]!.length)));
  return rows
    .map((row) =>
      row
        .map((text, index) => (index === row.length - 1 ? text : text.padEnd(widths[index]!)))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}

/** `key: value` lines, keys aligned, for `describe`. */
export function fields(entries: ReadonlyArray<[string, unknown]>): string {
  const width = Math.max(...entries.map(([key]) => key.length)) + 1;
  return entries.map(([key, value]) => `${`${key}:`.padEnd(width)} ${cell(value)}`).join('\n');
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** "3m", "2h", "5d" since an ISO time; "-" when absent. */
export function age(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '-';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86_400)}d`;
}
