import { fileURLToPath } from 'node:url';

// libs/db/src (or dist/libs/db/src) → prisma/migrations at the repository root.
export function migrationsDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const root = here.includes('/dist/') ? new URL('../../../../', import.meta.url) : new URL('../../../', import.meta.url);
  return fileURLToPath(new URL('prisma/migrations', root));
}
