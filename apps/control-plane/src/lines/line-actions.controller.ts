import { Controller, Post } from '@nestjs/common';
import { Uuid } from '@bridgefleet/contracts/common.schema.js';
import { LineView, OptionalReasonBody, ReasonBody } from '@bridgefleet/contracts/fleet.schema.js';
import type { AdminAction, ReputationAction } from '@bridgefleet/policy/line-lifecycle.js';
import { z } from 'zod';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { Endpoint, type EndpointSpec } from '../http/endpoint.decorator.js';
import { ValidBody, ValidParams } from '../http/validated.decorator.js';
import { LineLifecycleService } from './line-lifecycle.service.js';

const IdParams = z.strictObject({ id: Uuid });
type Id = { id: string };
type OptionalReason = OptionalReasonBody | undefined;

const adminAction = (summary: string): EndpointSpec => ({
  scope: 'fleet:write',
  tag: 'lines',
  summary,
  params: IdParams,
  // The body is optional: `{reason}` only ends up in the audit trail.
  body: OptionalReasonBody.optional(),
  response: LineView,
  errors: [404, 409],
});

const reputationAction = (summary: string): EndpointSpec => ({
  scope: 'fleet:write',
  tag: 'lines',
  summary,
  params: IdParams,
  body: ReasonBody,
  response: LineView,
  errors: [404, 409],
});

/** Lifecycle actions: POST /v1/lines/:id/<action>; 409 when the line's state does not allow it. */
@Controller('v1/lines/:id')
export class LineActionsController {
  constructor(private readonly lifecycle: LineLifecycleService) {}

  private admin(action: AdminAction, params: Id, body: OptionalReason, by: Principal) {
    return this.lifecycle.admin(params.id, action, body?.reason, by);
  }

  private reputation(action: ReputationAction, params: Id, body: ReasonBody, by: Principal) {
    return this.lifecycle.reputation(params.id, action, body.reason, by);
  }

  @Post('activate')
  @Endpoint(adminAction('Activate a provisioning line'))
  activate(@ValidParams() params: Id, @ValidBody() body: OptionalReason, @CurrentPrincipal() by: Principal) {
    return this.admin('activate', params, body, by);
  }

  @Post('cordon')
  @Endpoint(adminAction('Cordon an active line: no new contacts, existing ones still served'))
  cordon(@ValidParams() params: Id, @ValidBody() body: OptionalReason, @CurrentPrincipal() by: Principal) {
    return this.admin('cordon', params, body, by);
  }

  @Post('uncordon')
  @Endpoint(adminAction('Uncordon a cordoned line'))
  uncordon(@ValidParams() params: Id, @ValidBody() body: OptionalReason, @CurrentPrincipal() by: Principal) {
    return this.admin('uncordon', params, body, by);
  }

  @Post('drain')
  @Endpoint(adminAction('Drain an active or cordoned line: its contacts move off, paced'))
  drain(@ValidParams() params: Id, @ValidBody() body: OptionalReason, @CurrentPrincipal() by: Principal) {
    return this.admin('drain', params, body, by);
  }

  @Post('retire')
  @Endpoint(adminAction('Retire a line for good'))
  retire(@ValidParams() params: Id, @ValidBody() body: OptionalReason, @CurrentPrincipal() by: Principal) {
    return this.admin('retire', params, body, by);
  }

  @Post('flag')
  @Endpoint(reputationAction('Flag a line (it stops sending until cleared)'))
  flag(@ValidParams() params: Id, @ValidBody() body: ReasonBody, @CurrentPrincipal() by: Principal) {
    return this.reputation('flag', params, body, by);
  }

  @Post('ban')
  @Endpoint(reputationAction('Mark a line banned by Apple; this also retires it'))
  ban(@ValidParams() params: Id, @ValidBody() body: ReasonBody, @CurrentPrincipal() by: Principal) {
    return this.reputation('ban', params, body, by);
  }

  @Post('clear')
  @Endpoint(reputationAction('Clear a flagged or throttled line back to good (a ban cannot be cleared)'))
  clear(@ValidParams() params: Id, @ValidBody() body: ReasonBody, @CurrentPrincipal() by: Principal) {
    return this.reputation('clear', params, body, by);
  }
}
