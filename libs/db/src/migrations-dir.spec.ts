import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationsDir } from './migrations-dir.js';

describe('migrationsDir', () => {
  it('finds prisma/migrations from the source tree', () => {
    expect(migrationsDir()).toMatch(/prisma\/migrations$/);
  });

  it('finds it from a compiled dist/ folder, whatever the checkout path contains', () => {
    const root = mkdtempSync(join(tmpdir(), 'dist-'));
    mkdirSync(join(root, 'prisma', 'migrations'), { recursive: true });
    const compiled = join(root, 'dist', 'libs', 'db', 'src');
    mkdirSync(compiled, { recursive: true });
    expect(migrationsDir(compiled)).toBe(join(root, 'prisma', 'migrations'));
  });

  it('says so when there is none', () => {
    expect(() => migrationsDir('/')).toThrow(/no prisma\/migrations/);
  });
});
