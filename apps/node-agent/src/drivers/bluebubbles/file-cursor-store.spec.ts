import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileCursorStore } from './file-cursor-store.js';

describe('FileCursorStore', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('survives a new instance (an agent restart) and ignores a damaged file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'bf-cursor-'));
    const path = join(dir, 'nested', 'cursor.json');
    expect(await new FileCursorStore(path).load()).toBeUndefined();
    await new FileCursorStore(path).save(1_790_000_000_123);
    expect(await new FileCursorStore(path).load()).toBe(1_790_000_000_123);
    await writeFile(path, '{"cursor": "nope"');
    expect(await new FileCursorStore(path).load()).toBeUndefined();
  });
});
