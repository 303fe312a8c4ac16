import { Inject, Injectable, type LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { maskSecrets, REDACT_PATHS } from './log-redaction.js';

// Looked up at each write, so whoever redirects process.stdout (a test capturing it) gets the lines.
const stdout = { write: (line: string) => process.stdout.write(line) };

/** Nest's logger as structured JSON lines through pino, with credentials and bodies redacted. */
@Injectable()
export class AppLogger implements LoggerService {
  readonly pino: Logger;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.pino = pino(
      {
        name: 'control-plane',
        level: config.LOG_LEVEL,
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        redact: { paths: REDACT_PATHS, censor: '[redacted]' },
        formatters: { level: (label) => ({ level: label }) },
      },
      stdout,
    );
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest passes (message, ...params, context); an error's stack comes as a string param. */
  private write(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const params = [...rest];
    const context = typeof params.at(-1) === 'string' ? (params.pop() as string) : undefined;
    const stack = params.find((param): param is string => typeof param === 'string');
    const fields: Record<string, unknown> = context ? { context } : {};
    if (stack) fields.stack = maskSecrets(stack);
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, maskSecrets(message.message));
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.pino[level](fields, maskSecrets(String(message)));
    }
  }
}
