import { Controller, Get, Post } from '@nestjs/common';
import { Page, Uuid } from '@bridgefleet/contracts/common.schema.js';
import { RemediationListQuery, RemediationRunView, RunbookView, StartRemediationBody } from '@bridgefleet/contracts/remediation.schema.js';
import { z } from 'zod';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { ValidBody, ValidParams, ValidQuery } from '../http/validated.decorator.js';
import { RemediationService } from './remediation.service.js';

const IdParams = z.strictObject({ id: Uuid });

@Controller('v1')
export class RemediationController {
  constructor(private readonly remediation: RemediationService) {}

  @Get('runbooks')
  @Endpoint({
    scope: 'fleet:read',
    tag: 'remediation',
    summary: 'The runbook allowlist',
    response: z.object({ items: z.array(RunbookView) }),
  })
  runbooks() {
    return { items: this.remediation.runbooks() };
  }

  @Post('nodes/:id/remediations')
  @Endpoint({
    scope: 'remediation:run',
    tag: 'remediation',
    summary: 'Run an allowlisted runbook on a node over SSH (one run per node at a time)',
    status: 202,
    params: IdParams,
    body: StartRemediationBody,
    response: RemediationRunView,
    errors: [404, 409],
  })
  start(@ValidParams() params: { id: string }, @ValidBody() body: StartRemediationBody, @CurrentPrincipal() principal: Principal) {
    return this.remediation.request(params.id, body, { actor: principal.actor });
  }

  @Get('nodes/:id/remediations')
  @Endpoint({
    scope: 'fleet:read',
    tag: 'remediation',
    summary: "A node's remediation runs, newest first",
    params: IdParams,
    query: RemediationListQuery,
    response: Page(RemediationRunView),
    errors: [404],
  })
  list(@ValidParams() params: { id: string }, @ValidQuery() query: RemediationListQuery) {
    return this.remediation.listForNode(params.id, query);
  }

  @Get('remediations/:id')
  @Endpoint({
    scope: 'fleet:read',
    tag: 'remediation',
    summary: 'A remediation run: status, exit code, steps and output',
    params: IdParams,
    response: RemediationRunView,
    errors: [404],
  })
  get(@ValidParams() params: { id: string }) {
    return this.remediation.get(params.id);
  }
}
