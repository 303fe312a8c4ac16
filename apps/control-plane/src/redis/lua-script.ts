import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Reads a Lua script that lives next to the module that uses it. Built code runs
 * from dist/, where the build copies the .lua files; falls back to the source tree.
 */
export function readLuaScript(moduleUrl: string, relativePath: string): string {
  const path = fileURLToPath(new URL(relativePath, moduleUrl));
  if (existsSync(path)) return readFileSync(path, 'utf8');
  const source = path.replace(/\/dist\//, '/');
  return readFileSync(source, 'utf8');
}
