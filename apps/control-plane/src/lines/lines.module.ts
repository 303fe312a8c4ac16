import { Module } from '@nestjs/common';
import { LineActionsController } from './line-actions.controller.js';
import { LineInsightsController } from './line-insights.controller.js';
import { LineInsightsRepository } from './line-insights.repository.js';
import { LineUsageMetrics } from './line-usage-metrics.js';
import { LineLifecycleService } from './line-lifecycle.service.js';
import { LineViewBuilder } from './line-view.builder.js';
import { LineRepository } from './line.repository.js';
import { LineService } from './line.service.js';
import { LinesController } from './lines.controller.js';

@Module({
  controllers: [LinesController, LineActionsController, LineInsightsController],
  providers: [LineInsightsRepository, LineUsageMetrics, LineRepository, LineViewBuilder, LineService, LineLifecycleService],
  exports: [LineRepository, LineLifecycleService],
})
export class LinesModule {}
