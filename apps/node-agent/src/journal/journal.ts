import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * An append-only JSON-lines file. `append` resolves only after the line is on disk
 * (fdatasync); appends arriving while a write is in flight are committed together,
 * so ten thousand simulated agents share one fsync instead of each paying for one.
 */
export class Journal<T> {
  private handle: FileHandle | undefined;
  private queued: { line: string; resolve: () => void; reject: (error: Error) => void }[] = [];
  private writing: Promise<void> | undefined;

  private constructor(readonly path: string) {}

  /** Reads every complete record, then opens the file for appending. A torn last line (crash mid-write) is skipped. */
  static async open<T>(path: string): Promise<{ journal: Journal<T>; records: T[] }> {
    mkdirSync(dirname(path), { recursive: true });
    const records = existsSync(path) ? parseLines<T>(readFileSync(path, 'utf8')) : [];
    const journal = new Journal<T>(path);
    journal.handle = await open(path, 'a');
    return { journal, records };
  }

  /** Replaces the file with `records` (write to a temporary file, fsync, rename), then keeps appending. */
  static rewrite<T>(path: string, records: T[]): void {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      if (records.length) writeSync(fd, records.map((record) => JSON.stringify(record)).join('\n') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  }

  append(record: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push({ line: JSON.stringify(record) + '\n', resolve, reject });
      this.writing ??= this.drain();
    });
  }

  async close(): Promise<void> {
    await this.writing;
    await this.handle?.close();
    this.handle = undefined;
  }

  private async drain(): Promise<void> {
    while (this.queued.length) {
      const batch = this.queued;
      this.queued = [];
      try {
        if (!this.handle) throw new Error(`journal ${this.path} is closed`);
        await this.handle.write(batch.map((entry) => entry.line).join(''));
        await this.handle.datasync();
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error as Error);
      }
    }
    this.writing = undefined;
  }
}

function parseLines<T>(text: string): T[] {
  const records: T[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as T);
    } catch {
      // Only the last line can be torn by a crash; nothing after it was acknowledged.
    }
  }
  return records;
}
