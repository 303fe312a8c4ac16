import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createControlPlane } from '../../../apps/control-plane/src/bootstrap.js';
import type { AppConfig } from '../../../apps/control-plane/src/config/config.schema.js';
import { loadConfig } from '../../../apps/control-plane/src/config/load-config.js';
import { generateApiKey } from '@bridgefleet/contracts/api-key-format.js';
import type { AppOverrides } from '../../../apps/control-plane/src/app.module.js';
import { ApiClient } from './api-client.js';

export interface TestControlPlane {
  app: INestApplication;
  baseUrl: string;
  adminKey: string;
  config: AppConfig;
  /** A client authenticated with the bootstrap admin key. */
  admin: ApiClient;
  client(key?: string): ApiClient;
  close(): Promise<void>;
}

/** Starts a real control plane on a loopback port against the run's test database and Redis prefix. */
export async function startControlPlane(overrides: Record<string, string> = {}, replace: AppOverrides = {}): Promise<TestControlPlane> {
  const adminKey = generateApiKey().key;
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: requireEnv('TEST_DATABASE_URL'),
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    REDIS_PREFIX: requireEnv('TEST_REDIS_PREFIX'),
    BRIDGEFLEET_ADMIN_KEY: adminKey,
    LOG_LEVEL: 'silent',
    MIGRATE_ON_START: 'false',
    ...overrides,
  });
  const app = await createControlPlane(config, replace);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    baseUrl,
    adminKey,
    config,
    admin: new ApiClient(baseUrl, adminKey),
    client: (key?: string) => new ApiClient(baseUrl, key),
    close: () => app.close(),
  };
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run end-to-end tests through vitest (test/global-setup.ts)`);
  return value;
}
