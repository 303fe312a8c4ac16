import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CursorStore } from './bluebubbles.config.js';

/**
 * Keeps the poll cursor across agent restarts, so messages that arrived while the agent
 * was down are still read. Written to a temp file and renamed, so a crash never leaves half a file.
 */
export class FileCursorStore implements CursorStore {
  constructor(private readonly path: string) {}

  async load(): Promise<number | undefined> {
    try {
      const parsed = JSON.parse(await readFile(this.path, 'utf8')) as { cursor?: unknown };
      return typeof parsed.cursor === 'number' && Number.isFinite(parsed.cursor) ? parsed.cursor : undefined;
    } catch {
      return undefined;
    }
  }

  async save(cursor: number): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.tmp`;
    await writeFile(temporary, JSON.stringify({ cursor }), { mode: 0o600 });
    await rename(temporary, this.path);
  }
}
