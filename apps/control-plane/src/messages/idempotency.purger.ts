import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { runsRole } from '../config/roles.js';
import { IdempotencyRepository } from './idempotency.repository.js';

const PURGE_EVERY_MS = 10 * 60_000;

/**
 * Deletes idempotency records past their 24 h (ROLES worker/all). Correctness does not
 * depend on it (expired records are ignored and overwritten); it only keeps the table small.
 */
@Injectable()
export class IdempotencyPurger implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('idempotency');
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly records: IdempotencyRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsRole(this.config, 'worker')) return;
    this.timer = setInterval(() => void this.purge(), PURGE_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async purge(now = new Date()): Promise<number> {
    try {
      return await this.records.purgeExpired(now);
    } catch (error) {
      this.logger.warn(`purging idempotency records failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
