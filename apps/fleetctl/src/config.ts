import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, EXIT } from './exit-codes.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface GlobalOptions {
  server?: string;
  key?: string;
  output?: string;
}

export interface ResolvedConfig {
  server: string;
  key?: string;
  output: 'table' | 'json';
  dir: string;
}

/** `$XDG_CONFIG_HOME/fleetctl`, else `$HOME/.config/fleetctl`. */
export function configDir(env: Env): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'fleetctl');
}

/** The config file: JSON (`{"server": "...", "key": "..."}`) or INI-style `server = ...` lines. */
export function readConfigFile(path: string): { server?: string; key?: string } {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, 'utf8');
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return {
      ...(typeof parsed.server === 'string' ? { server: parsed.server } : {}),
      ...(typeof parsed.key === 'string' ? { key: parsed.key } : {}),
    };
  } catch {
    const values: Record<string, string> = {};
    for (const line of text.split('\n')) {
      const match = /^\s*([A-Za-z_]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
      if (match && !line.trimStart().startsWith('#') && !line.trimStart().startsWith(';')) values[match[1]!.toLowerCase()] = match[2]!;
    }
    return { ...(values.server ? { server: values.server } : {}), ...(values.key ? { key: values.key } : {}) };
  }
}

/** Flags beat the environment (FLEETCTL_SERVER, FLEETCTL_KEY), which beats the config file. */
export function resolveConfig(flags: GlobalOptions, env: Env): ResolvedConfig {
  const dir = configDir(env);
  const file = readConfigFile(join(dir, 'config'));
  // An empty variable counts as unset, as shells make it easy to export one by accident.
  const server = flags.server ?? (env.FLEETCTL_SERVER || undefined) ?? file.server ?? 'http://127.0.0.1:3000';
  const key = flags.key ?? (env.FLEETCTL_KEY || undefined) ?? file.key;
  const output = flags.output ?? 'table';
  if (output !== 'table' && output !== 'json') throw new CliError(`--output must be table or json, not ${output}`, EXIT.usage);
  try {
    new URL(server);
  } catch {
    throw new CliError(`server ${JSON.stringify(server)} is not a URL`, EXIT.usage);
  }
  return { server: server.replace(/\/+$/, ''), ...(key ? { key } : {}), output, dir };
}
