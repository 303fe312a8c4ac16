import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';

/** The governor's Lua scripts, each in its own file next to this one (lua/*.lua). */
const SCRIPTS = {
  governorGateAndConsume: { file: 'gate-and-consume.lua', numberOfKeys: 9 },
  governorRecordInbound: { file: 'record-inbound.lua', numberOfKeys: 5 },
  governorRelease: { file: 'release.lua', numberOfKeys: 7 },
  governorSeedDay: { file: 'seed-day.lua', numberOfKeys: 1 },
} as const;

export type GovernorScriptName = keyof typeof SCRIPTS;

/** A client with the governor's commands defined (ioredis sends EVALSHA, falling back to EVAL). */
export type GovernorRedis = Redis & Record<GovernorScriptName, (...args: (string | number)[]) => Promise<unknown>>;

// scripts/copy-assets.mjs copies lua/*.lua beside the compiled module, so one path serves both.
const LUA_DIR = fileURLToPath(new URL('./lua/', import.meta.url));

const sources = new Map<string, string>();

export function defineGovernorScripts(client: Redis): GovernorRedis {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    if (typeof (client as unknown as Record<string, unknown>)[name] === 'function') continue;
    let lua = sources.get(script.file);
    if (lua === undefined) {
      lua = readFileSync(`${LUA_DIR}${script.file}`, 'utf8');
      sources.set(script.file, lua);
    }
    client.defineCommand(name, { numberOfKeys: script.numberOfKeys, lua });
  }
  return client as GovernorRedis;
}
