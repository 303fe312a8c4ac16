import { Global, Module } from '@nestjs/common';
import { WebhookPublisher } from './webhook.publisher.js';
import { WebhookRepository } from './webhook.repository.js';
import { WebhookSender } from './webhook.sender.js';
import { WebhooksController } from './webhooks.controller.js';
import { WebhooksService } from './webhooks.service.js';

/** Webhook endpoints, the publish port other modules use, and the sender worker. */
@Global()
@Module({
  controllers: [WebhooksController],
  providers: [WebhookRepository, WebhookPublisher, WebhookSender, WebhooksService],
  exports: [WebhookPublisher],
})
export class WebhooksModule {}
