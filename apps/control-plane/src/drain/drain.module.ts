import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module.js';
import { DrainPaceRepository } from './drain-pace.repository.js';
import { DrainWorker } from './drain-worker.service.js';
import { DrainRepository } from './drain.repository.js';

/** Drain: moves contacts (and their waiting messages) off draining and long-unreachable lines, paced. */
@Module({
  imports: [HealthModule],
  providers: [DrainRepository, DrainPaceRepository, DrainWorker],
  exports: [DrainWorker],
})
export class DrainModule {}
