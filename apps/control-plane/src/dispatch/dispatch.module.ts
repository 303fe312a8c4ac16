import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { AgentEventHandlers } from '../agent-events/agent-event-handlers.js';
import { AgentEventsModule } from '../agent-events/agent-events.module.js';
import { MessagesModule } from '../messages/messages.module.js';
import { OutboxHandlers } from '../outbox/outbox.handlers.js';
import { WebhookPublisher } from '../webhooks/webhook.publisher.js';
import { AgentClient } from './agent-client.js';
import { DispatcherService } from './dispatcher.service.js';
import { LineSchedulerRepository } from './line-scheduler.repository.js';
import { MessageTransitionsRepository } from './message-transitions.repository.js';
import { AgentEventEffects } from './agent-event-effects.service.js';
import { GovernorGate, GovernorHeadroom } from './governor-gate.js';
import { NewContactHeadroom } from './new-contact-headroom.js';
import { ReconcilerService } from './reconciler.service.js';
import { RouteQueue } from './route.queue.js';
import { RouterService } from './router.service.js';
import { RoutingRepository } from './routing.repository.js';
import { SendAttemptService } from './send-attempt.service.js';
import { SendGate } from './send-gate.js';

/** The send pipeline after intake: routing, per-line scheduling, dispatch to agents, recovery. */
@Global()
@Module({
  imports: [MessagesModule, AgentEventsModule],
  providers: [
    AgentClient,
    DispatcherService,
    LineSchedulerRepository,
    MessageTransitionsRepository,
    ReconcilerService,
    RouteQueue,
    RouterService,
    RoutingRepository,
    SendAttemptService,
    AgentEventEffects,
    { provide: NewContactHeadroom, useClass: GovernorHeadroom },
    { provide: SendGate, useClass: GovernorGate },
  ],
  exports: [AgentEventEffects, MessageTransitionsRepository, LineSchedulerRepository, RouteQueue, ReconcilerService, DispatcherService],
})
export class DispatchModule implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxHandlers,
    private readonly routeQueue: RouteQueue,
    private readonly router: RouterService,
    private readonly webhooks: WebhookPublisher,
    private readonly agentEvents: AgentEventHandlers,
    private readonly effects: AgentEventEffects,
  ) {}

  onModuleInit(): void {
    this.agentEvents.register({
      name: 'send-pipeline',
      handle: async (nodeId, events) => {
        for (const event of events) await this.effects.apply(nodeId, event);
      },
    });
    this.outbox.register('message.queued', async (entry) => {
      const { messageId } = entry.payload as { messageId: string };
      await this.routeQueue.add(messageId);
    });
    this.router.onReassign(async (tx, change) => {
      await this.webhooks.publish(
        tx,
        'contact.reassigned',
        { handle: change.handle, fromLineId: change.fromLineId, toLineId: change.toLineId, reason: change.reason },
        change.at,
      );
    });
  }
}
