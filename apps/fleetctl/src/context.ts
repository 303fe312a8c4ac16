import type { Command } from 'commander';
import { Api } from './api.js';
import { resolveConfig, type Env, type GlobalOptions, type ResolvedConfig } from './config.js';
import { json } from './output.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Env;
}

/** What every command gets: resolved settings, an API client, and output in the chosen format. */
export class Context {
  readonly config: ResolvedConfig;
  readonly api: Api;

  constructor(
    readonly io: Io,
    flags: GlobalOptions,
  ) {
    this.config = resolveConfig(flags, io.env);
    this.api = new Api(this.config.server, this.config.key);
  }

  static of(command: Command, io: Io): Context {
    return new Context(io, command.optsWithGlobals<GlobalOptions>());
  }

  get asJson(): boolean {
    return this.config.output === 'json';
  }

  /** JSON mode prints `data`; table mode prints what `render` makes of it. */
  show<T>(data: T, render: (data: T) => string): void {
    this.io.stdout(`${this.asJson ? json(data) : render(data)}\n`);
  }
}
