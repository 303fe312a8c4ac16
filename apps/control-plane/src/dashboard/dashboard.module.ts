import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { DashboardAssetsMiddleware } from './dashboard-assets.middleware.js';
import { DashboardController } from './dashboard.controller.js';
import { DashboardRepository } from './dashboard.repository.js';

/** The web dashboard: its static single-page app at `/` and the reads only it needs. */
@Module({ controllers: [DashboardController], providers: [DashboardRepository, DashboardAssetsMiddleware] })
export class DashboardModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // '{*path}' (unlike '*path') also matches `/` itself.
    consumer.apply(DashboardAssetsMiddleware).forRoutes('{*path}');
  }
}
