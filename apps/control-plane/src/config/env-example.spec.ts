import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from './config.schema.js';

// .env.example is the reference operators copy from: it must name every setting the control plane reads.
const envExample = readFileSync(new URL('../../../../.env.example', import.meta.url), 'utf8');
const documented = new Set([...envExample.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]));

describe('.env.example', () => {
  it('lists every control-plane setting', () => {
    expect(Object.keys(ConfigSchema.shape).filter((name) => !documented.has(name))).toEqual([]);
  });
});
