import type { Redis } from 'ioredis';
import { readLuaScript } from '../redis/lua-script.js';

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

export function defineGovernorScripts(client: Redis): GovernorRedis {
  for (const [name, script] of Object.entries(SCRIPTS)) {
    if (typeof (client as unknown as Record<string, unknown>)[name] === 'function') continue;
    client.defineCommand(name, { numberOfKeys: script.numberOfKeys, lua: readLuaScript(import.meta.url, `./lua/${script.file}`) });
  }
  return client as GovernorRedis;
}
