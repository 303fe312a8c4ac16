import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { withTimeout } from '../database/prisma.service.js';

/**
 * The shared Redis connection. Keys are namespaced by REDIS_PREFIX and hash-tagged
 * per line ({line:<id>}) by their owners so the same code runs on Redis Cluster.
 */
@Injectable()
export class RedisService implements OnModuleDestroy {
  private readonly logger = new Logger('redis');
  readonly client: Redis;
  readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = config.REDIS_PREFIX;
    this.client = new Redis(config.REDIS_URL, {
      lazyConnect: true,
      // Fail fast instead of queueing commands while Redis is away; callers decide.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    this.client.on('error', (error: Error) => this.logger.warn(`redis: ${error.message}`));
  }

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async connect(): Promise<void> {
    if (this.client.status === 'wait') await this.client.connect();
  }

  async ping(timeoutMs: number): Promise<void> {
    await this.connect();
    await withTimeout(this.client.ping(), timeoutMs, 'Redis');
  }

  /** Evicting keys would silently drop queued sends and counters; refuse such a Redis. */
  async assertNoEviction(): Promise<void> {
    await this.connect();
    const reply = (await this.client.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1];
    if (policy !== undefined && policy !== 'noeviction') {
      throw new Error(`Redis maxmemory-policy is "${policy}"; bridgefleet requires "noeviction" (CONFIG SET maxmemory-policy noeviction)`);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.client.disconnect();
  }
}
