import { Injectable, Logger } from '@nestjs/common';
import type { AgentEvent } from '@bridgefleet/contracts/agent.schema.js';
import { Counter } from 'prom-client';
import { DependencyDown } from '../http/problems.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { AgentEventHandlers } from './agent-event-handlers.js';
import { AgentEventRepository } from './agent-event.repository.js';

export interface AcceptedBatch {
  accepted: number;
  duplicates: number;
}

/** Takes a node's verified batch: stores each event once, then hands the new ones to the handlers. */
@Injectable()
export class AgentEventsService {
  private readonly logger = new Logger('agent-events');
  private readonly received: Counter<'type' | 'outcome'>;

  constructor(
    private readonly repository: AgentEventRepository,
    private readonly handlers: AgentEventHandlers,
    metrics: MetricsService,
  ) {
    this.received = new Counter({
      name: 'bridgefleet_agent_events_total',
      help: 'Agent events received, by type and whether they were new or a duplicate.',
      labelNames: ['type', 'outcome'] as const,
      registers: [metrics.registry],
    });
  }

  async accept(nodeId: string, events: AgentEvent[]): Promise<AcceptedBatch> {
    // The same id twice in one batch is one event.
    const unique = [...new Map(events.map((event) => [event.id, event])).values()];
    const fresh = await this.repository.insertNew(nodeId, unique);
    const freshIds = new Set(fresh.map((event) => event.id));
    for (const event of events) this.received.inc({ type: event.type, outcome: freshIds.has(event.id) ? 'new' : 'duplicate' });
    await this.process(nodeId, fresh);
    return { accepted: fresh.length, duplicates: events.length - fresh.length };
  }

  /**
   * Acts on events seen for the first time. Today it only stores them; the send pipeline and
   * inbound routing plug in through AgentEventHandlers (which must be idempotent). When a
   * handler fails, the events are forgotten again and the agent gets a 503, so its retry
   * processes them instead of being refused as a duplicate.
   */
  async process(nodeId: string, newEvents: AgentEvent[]): Promise<void> {
    if (!newEvents.length) return;
    for (const handler of this.handlers.list()) {
      try {
        await handler.handle(nodeId, newEvents);
      } catch (error) {
        this.logger.error(`handler ${handler.name} failed on ${newEvents.length} events from node ${nodeId}: ${(error as Error).message}`);
        await this.repository.forget(newEvents.map((event) => event.id));
        throw new DependencyDown(`agent event handler ${handler.name}`, 5);
      }
    }
  }
}
