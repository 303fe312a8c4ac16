import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));

/**
 * Where `npm run build:dashboard` put the single-page app: `<repo>/dist/dashboard`, seen from
 * the sources (tsx, tests) or from the compiled `dist/apps/control-plane/src/dashboard`.
 */
export function dashboardAssetsDir(): string | undefined {
  const candidates = [join(HERE, '../../../../dist/dashboard'), join(HERE, '../../../../dashboard')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  return found ? resolve(found) : undefined;
}

/** Paths that belong to the API and operations, never to the single-page app. */
export const NOT_DASHBOARD = /^\/(v1|docs|metrics|healthz|readyz)(\/|$)/;
