import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import type { AgentEvent } from '@bridgefleet/contracts/agent.schema.js';
import { DependencyDown } from '../http/problems.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { AgentEventHandlers } from './agent-event-handlers.js';
import type { AgentEventRepository } from './agent-event.repository.js';
import { AgentEventsService } from './agent-events.service.js';

/** The repository's contract (insert unseen ids, forget) over a Set, to drive the service's failure path. */
function memoryRepository() {
  const stored = new Set<string>();
  const repository = {
    stored,
    insertNew: async (_nodeId: string, events: AgentEvent[]) => {
      const fresh = events.filter((event) => !stored.has(event.id));
      fresh.forEach((event) => stored.add(event.id));
      return fresh;
    },
    forget: async (ids: string[]) => ids.forEach((id) => stored.delete(id)),
  };
  return repository;
}

const received = (): AgentEvent => ({
  id: randomUUID(),
  type: 'message.received',
  at: new Date().toISOString(),
  from: '+12065551234',
  body: 'hi',
});

describe('AgentEventsService', () => {
  it('forgets the events when a handler fails (503), so the agent’s retry is processed, not refused as a duplicate', async () => {
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const repository = memoryRepository();
    const handlers = new AgentEventHandlers();
    const service = new AgentEventsService(repository as unknown as AgentEventRepository, handlers, new MetricsService());
    const seen: string[][] = [];
    let failing = true;
    handlers.register({
      name: 'flaky',
      handle: async (_nodeId, events) => {
        seen.push(events.map((event) => event.id));
        if (failing) throw new Error('database away');
      },
    });
    const events = [received(), received()];
    const ids = events.map((event) => event.id);

    const refused = await service.accept('node-1', events).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DependencyDown);
    expect((refused as DependencyDown).status).toBe(503);
    expect(repository.stored.size).toBe(0);

    failing = false;
    expect(await service.accept('node-1', events)).toEqual({ accepted: 2, duplicates: 0 });
    expect(await service.accept('node-1', events)).toEqual({ accepted: 0, duplicates: 2 });
    expect(seen).toEqual([ids, ids]);
  });
});
