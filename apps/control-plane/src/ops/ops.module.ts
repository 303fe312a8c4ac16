import { Global, Module } from '@nestjs/common';
import { OpsController } from './ops.controller.js';
import { ReadinessService } from './readiness.service.js';

@Global()
@Module({ controllers: [OpsController], providers: [ReadinessService], exports: [ReadinessService] })
export class OpsModule {}
