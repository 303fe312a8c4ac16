import { type MiddlewareConsumer, Module, type DynamicModule, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditModule } from './audit/audit.module.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthModule } from './auth/auth.module.js';
import { ConfigModule } from './config/config.module.js';
import type { AppConfig } from './config/config.schema.js';
import { DatabaseModule } from './database/database.module.js';
import { DocsModule } from './docs/docs.module.js';
import { ProblemFilter } from './http/problem.filter.js';
import { ValidationInterceptor } from './http/validation.interceptor.js';
import { HttpMetricsMiddleware } from './metrics/http-metrics.middleware.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OpsModule } from './ops/ops.module.js';
import { RedisModule } from './redis/redis.module.js';
import { FEATURE_MODULES } from './feature-modules.js';
import { ClockModule, type Clock } from './clock/clock.js';

/** What a test (or an embedding) may replace when it builds the application. */
export interface AppOverrides {
  clock?: Clock;
}

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig, overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(overrides.clock),
        DatabaseModule,
        RedisModule,
        MetricsModule,
        AuditModule,
        AuthModule,
        OpsModule,
        ...FEATURE_MODULES,
        DocsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: ValidationInterceptor },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
