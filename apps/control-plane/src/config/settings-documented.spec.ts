import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from './config.schema.js';

// Operators copy from .env.example and read the README's table: both must name every setting the control plane reads.
const read = (file: string) => readFileSync(new URL(`../../../../${file}`, import.meta.url), 'utf8');
const settings = Object.keys(ConfigSchema.shape);

describe('control-plane settings are documented', () => {
  it('in .env.example', () => {
    const listed = new Set([...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));
    expect(settings.filter((name) => !listed.has(name))).toEqual([]);
  });

  it("in the README's configuration table", () => {
    const rows = new Set([...read('README.md').matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((match) => match[1]));
    expect(settings.filter((name) => !rows.has(name))).toEqual([]);
  });
});
