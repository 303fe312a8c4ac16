import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * prisma/migrations at the repository (or image) root. This file runs from
 * libs/db/src under the tests and from dist/libs/db/src once built, so walk up
 * until the folder appears rather than counting levels.
 */
export function migrationsDir(start: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'prisma', 'migrations');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`no prisma/migrations folder above ${start}`);
  }
}
