import { Controller, Post, Req, UseGuards } from '@nestjs/common';
import { AgentEventBatch } from '@bridgefleet/contracts/agent.schema.js';
import { z } from 'zod';
import { Endpoint } from '../http/endpoint.decorator.js';
import { ValidBody } from '../http/validated.decorator.js';
import { AgentEventsService } from './agent-events.service.js';
import { AgentSignatureGuard, type SignedAgentRequest } from './agent-signature.guard.js';

const AcceptedBatch = z.object({ accepted: z.number().int(), duplicates: z.number().int() });

@Controller('v1/agent')
export class AgentEventsController {
  constructor(private readonly events: AgentEventsService) {}

  @Post('events')
  @UseGuards(AgentSignatureGuard)
  @Endpoint({
    scope: 'agent',
    tag: 'agent',
    summary: 'Events from a node agent (HMAC-signed with its credential); each event id is processed once',
    body: AgentEventBatch,
    response: AcceptedBatch,
    errors: [503],
  })
  accept(@ValidBody() body: AgentEventBatch, @Req() request: SignedAgentRequest) {
    return this.events.accept(request.agentNodeId!, body.events);
  }
}
