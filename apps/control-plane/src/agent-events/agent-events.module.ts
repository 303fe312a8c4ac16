import { Module } from '@nestjs/common';
import { AgentEventHandlers } from './agent-event-handlers.js';
import { AgentEventRepository } from './agent-event.repository.js';
import { AgentEventsController } from './agent-events.controller.js';
import { AgentEventsService } from './agent-events.service.js';
import { AgentSignatureGuard } from './agent-signature.guard.js';

/** POST /v1/agent/events: signed batches from node agents, stored once; handlers act on new ones. */
@Module({
  controllers: [AgentEventsController],
  providers: [AgentEventRepository, AgentEventsService, AgentEventHandlers, AgentSignatureGuard],
  exports: [AgentEventHandlers, AgentEventsService],
})
export class AgentEventsModule {}
