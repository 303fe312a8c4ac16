import { Global, Module } from '@nestjs/common';
import { DEFAULT_GOVERNOR_TUNING } from '@bridgefleet/policy/governor/governor-tuning.js';
import { RedisService } from '../redis/redis.service.js';
import { GovernorRepository } from './governor.repository.js';
import { GovernorService } from './governor.service.js';
import { GOVERNOR_RANDOM, GOVERNOR_TUNING } from './governor.tokens.js';
import { LineUsageRepository } from './line-usage.repository.js';

/** Global: the dispatcher, the router and the line views ask the governor. */
@Global()
@Module({
  providers: [
    {
      provide: GovernorRepository,
      inject: [RedisService],
      useFactory: (redis: RedisService) => new GovernorRepository(redis.client, redis.prefix, () => redis.connect()),
    },
    LineUsageRepository,
    GovernorService,
    { provide: GOVERNOR_TUNING, useValue: DEFAULT_GOVERNOR_TUNING },
    { provide: GOVERNOR_RANDOM, useValue: Math.random },
  ],
  exports: [GovernorService],
})
export class GovernorModule {}
