import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express, { type Request } from 'express';
import { ensureDatabase, migrate } from '@bridgefleet/db/migrator.js';
import { migrationsDir } from '@bridgefleet/db/migrations-dir.js';
import { AppModule, type AppOverrides } from './app.module.js';
import type { AppConfig } from './config/config.schema.js';
import { AppLogger } from './logging/app-logger.js';
import { SWAGGER_UI_DIR } from './docs/docs.controller.js';
import { RedisService } from './redis/redis.service.js';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

function nestLogLevels(level: AppConfig['LOG_LEVEL']): LogLevel[] | false {
  if (level === 'silent') return false;
  const map: Record<string, LogLevel> = { fatal: 'fatal', error: 'error', warn: 'warn', info: 'log', debug: 'debug', trace: 'verbose' };
  return LEVELS.slice(0, LEVELS.indexOf(map[level]!) + 1);
}

export type RawBodyRequest = Request & { rawBody?: Buffer };

/** Creates (and migrates the database for) a control-plane application; main.ts and the tests share it. */
export async function createControlPlane(config: AppConfig, overrides: AppOverrides = {}): Promise<INestApplication> {
  const logger = new Logger('bootstrap');
  if (config.MIGRATE_ON_START) {
    if (await ensureDatabase(config.DATABASE_URL)) logger.log('created the database');
    const result = await migrate(config.DATABASE_URL, migrationsDir());
    if (result.applied.length) logger.log(`applied migrations: ${result.applied.join(', ')}`);
  }
  const app = await NestFactory.create(AppModule.forRoot(config, overrides), {
    bodyParser: false,
    logger: nestLogLevels(config.LOG_LEVEL),
    // Held until the JSON logger below takes over, so start-up lines are JSON too.
    bufferLogs: true,
  });
  app.useLogger(app.get(AppLogger));
  const http = app.getHttpAdapter().getInstance() as express.Express;
  http.disable('x-powered-by');
  http.set('trust proxy', 'loopback');
  app.use(
    express.json({
      limit: config.BODY_LIMIT,
      strict: true,
      type: ['application/json', 'application/*+json'],
      // Agent events are signed over the exact bytes sent.
      verify: (request, _response, buffer) => {
        (request as RawBodyRequest).rawBody = buffer;
      },
    }),
  );
  app.use('/docs/assets', express.static(SWAGGER_UI_DIR, { index: false, maxAge: '1h' }));
  app.enableShutdownHooks();
  await app.get(RedisService).assertNoEviction();
  return app;
}
