import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { OutboxHandlers } from '../outbox/outbox.handlers.js';
import { WebhookPublisher } from '../webhooks/webhook.publisher.js';
import { AgentClient } from './agent-client.js';
import { DispatchSettings } from './dispatch-settings.js';
import { DispatcherService } from './dispatcher.service.js';
import { LineSchedulerRepository } from './line-scheduler.repository.js';
import { MessageTransitionsRepository } from './message-transitions.repository.js';
import { NewContactHeadroom, UnlimitedHeadroom } from './new-contact-headroom.js';
import { ReconcilerService } from './reconciler.service.js';
import { RouteQueue } from './route.queue.js';
import { RouterService } from './router.service.js';
import { RoutingRepository } from './routing.repository.js';
import { SendAttemptService } from './send-attempt.service.js';
import { OpenGate, SendGate } from './send-gate.js';

/** The send pipeline after intake: routing, per-line scheduling, dispatch to agents, recovery. */
@Global()
@Module({
  providers: [
    AgentClient,
    DispatchSettings,
    DispatcherService,
    LineSchedulerRepository,
    MessageTransitionsRepository,
    ReconcilerService,
    RouteQueue,
    RouterService,
    RoutingRepository,
    SendAttemptService,
    { provide: NewContactHeadroom, useClass: UnlimitedHeadroom },
    { provide: SendGate, useClass: OpenGate },
  ],
  exports: [MessageTransitionsRepository, LineSchedulerRepository, RouteQueue, ReconcilerService, DispatcherService],
})
export class DispatchModule implements OnModuleInit {
  constructor(
    private readonly outbox: OutboxHandlers,
    private readonly routeQueue: RouteQueue,
    private readonly transitions: MessageTransitionsRepository,
    private readonly router: RouterService,
    private readonly webhooks: WebhookPublisher,
  ) {}

  onModuleInit(): void {
    this.outbox.register('message.queued', async (entry) => {
      const { messageId } = entry.payload as { messageId: string };
      await this.routeQueue.add(messageId);
    });
    this.transitions.onStatusChange(async (tx, change) => {
      await this.webhooks.publish(
        tx,
        'message.status',
        {
          messageId: change.messageId,
          status: change.to,
          previousStatus: change.from,
          ...(change.detail ? { detail: change.detail } : {}),
        },
        change.at,
      );
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
