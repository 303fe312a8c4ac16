import { Global, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { AppLogger } from './app-logger.js';
import { RequestIdMiddleware } from './request-id.middleware.js';

/** Structured JSON logs (pino) for the whole app and a request id on every request. */
@Global()
@Module({ providers: [AppLogger, RequestIdMiddleware], exports: [AppLogger] })
export class LoggingModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('{*path}');
  }
}
