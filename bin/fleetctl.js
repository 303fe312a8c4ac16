#!/usr/bin/env node
// fleetctl launcher: the built CLI when `npm run build` produced it, else the TypeScript
// source through tsx (a devDependency), so `npx fleetctl …` works straight from the repo.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'apps', 'fleetctl', 'src', 'main.js');

if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  // The repo's tsconfig carries the @bridgefleet/* path aliases, whatever the working directory.
  register({ tsconfig: join(root, 'tsconfig.json') });
  await import(pathToFileURL(join(root, 'apps', 'fleetctl', 'src', 'main.ts')).href);
}
