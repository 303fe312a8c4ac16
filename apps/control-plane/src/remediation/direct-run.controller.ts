import { Controller, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DirectRunRecordBody } from '@bridgefleet/contracts/direct-run.schema.js';
import { RemediationRunView } from '@bridgefleet/contracts/remediation.schema.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { ValidBody } from '../http/validated.decorator.js';
import { DirectRunRecorder } from './direct-run.recorder.js';

@Controller('v1/remediations')
export class DirectRunController {
  constructor(private readonly recorder: DirectRunRecorder) {}

  @Post('direct')
  @Endpoint({
    scope: 'remediation:run',
    tag: 'remediation',
    summary: 'Record a break-glass run (fleetctl run --direct) made over SSH while the control plane was down; idempotent on the run id',
    status: 201,
    body: DirectRunRecordBody,
    response: RemediationRunView,
    errors: [404, 409],
  })
  async record(
    @ValidBody() body: DirectRunRecordBody,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { created, run } = await this.recorder.record(body, principal.actor);
    // A replayed report answers 200 with the run as first recorded.
    if (!created) response.status(200);
    return run;
  }
}
