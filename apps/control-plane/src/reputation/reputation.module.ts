import { Module } from '@nestjs/common';
import { LinesModule } from '../lines/lines.module.js';
import { ReputationUpdater } from './reputation-updater.service.js';
import { ReputationRepository } from './reputation.repository.js';

/** Automatic reputation: warming → good after the warm-up, good ⇄ throttled on the first-contact response rate. */
@Module({
  imports: [LinesModule],
  providers: [ReputationRepository, ReputationUpdater],
  exports: [ReputationUpdater],
})
export class ReputationModule {}
