import { Module } from '@nestjs/common';
import { HealthModule } from './health.module.js';
import { NodeHealthWebhook } from './node-health.webhook.js';

/** The `node.health` webhook, fed by HealthModule's events (kept apart so HealthModule needs no webhooks). */
@Module({
  imports: [HealthModule],
  providers: [NodeHealthWebhook],
})
export class NodeHealthWebhookModule {}
