import { Module } from '@nestjs/common';
import { IdempotencyPurger } from './idempotency.purger.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { MessageRepository } from './message.repository.js';
import { MessageMetrics } from './message-metrics.js';
import { MessageTransitions } from './message-transitions.js';
import { MessagesController } from './messages.controller.js';
import { MessagesService } from './messages.service.js';

/** Message intake (POST /v1/messages, idempotency, outbox) and the status-change port. */
@Module({
  controllers: [MessagesController],
  providers: [MessageRepository, IdempotencyRepository, IdempotencyPurger, MessageMetrics, MessageTransitions, MessagesService],
  exports: [MessageRepository, MessageTransitions, MessageMetrics],
})
export class MessagesModule {}
