// tsc emits only JavaScript; the Lua scripts that Redis runs live next to the
// modules that load them and are copied beside their compiled code.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ASSET = /\.lua$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'node_modules' && name !== 'generated') walk(path);
    } else if (ASSET.test(name)) {
      cpSync(path, join(root, 'dist', relative(root, path)));
    }
  }
}

for (const top of ['apps', 'libs']) walk(join(root, top));
