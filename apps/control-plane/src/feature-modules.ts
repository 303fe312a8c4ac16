import type { Type } from '@nestjs/common';
import { AgentEventsModule } from './agent-events/agent-events.module.js';
import { AutoRemediationModule } from './auto-remediation/auto-remediation.module.js';
import { GovernorModule } from './governor/governor.module.js';
import { HealthModule } from './health/health.module.js';
import { NodeHealthWebhookModule } from './health/node-health-webhook.module.js';
import { ContactsModule } from './contacts/contacts.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { DispatchModule } from './dispatch/dispatch.module.js';
import { DrainModule } from './drain/drain.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { LinesModule } from './lines/lines.module.js';
import { MessagesModule } from './messages/messages.module.js';
import { NodesModule } from './nodes/nodes.module.js';
import { OutboxModule } from './outbox/outbox.module.js';
import { RemediationModule } from './remediation/remediation.module.js';
import { ReputationModule } from './reputation/reputation.module.js';
import { FleetSettingsModule } from './settings/fleet-settings.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

/** Feature modules (fleet, lines, contacts, settings, agent events, …), one folder each. */
export const FEATURE_MODULES: Type[] = [
  LoggingModule,
  HealthModule,
  FleetSettingsModule,
  GovernorModule,
  NodesModule,
  LinesModule,
  ContactsModule,
  OutboxModule,
  WebhooksModule,
  MessagesModule,
  RemediationModule,
  AgentEventsModule,
  DispatchModule,
  AutoRemediationModule,
  DashboardModule,
  ReputationModule,
  NodeHealthWebhookModule,
  DrainModule,
];
