import { Injectable } from '@nestjs/common';
import type { AgentEvent } from '@bridgefleet/contracts/agent.schema.js';
import { PrismaService } from '../database/prisma.service.js';

/** Every agent event ever accepted, keyed by its id: the record that each is processed once. */
@Injectable()
export class AgentEventRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The node's agent credential (the HMAC key of its events), or undefined for an unknown node. */
  async findAgentToken(nodeId: string): Promise<string | undefined> {
    const node = await this.prisma.node.findUnique({ where: { id: nodeId }, select: { agentToken: true } });
    return node?.agentToken;
  }

  /** Inserts the events not seen before (ON CONFLICT DO NOTHING) and returns only those. */
  async insertNew(nodeId: string, events: AgentEvent[]): Promise<AgentEvent[]> {
    const created = await this.prisma.agentEvent.createManyAndReturn({
      data: events.map((event) => ({ id: event.id, nodeId, type: event.type, payload: event })),
      skipDuplicates: true,
      select: { id: true },
    });
    const createdIds = new Set(created.map((row) => row.id));
    return events.filter((event) => createdIds.has(event.id));
  }

  /** Undoes insertNew for events whose processing failed, so a retry processes them. */
  async forget(ids: string[]): Promise<void> {
    await this.prisma.agentEvent.deleteMany({ where: { id: { in: ids } } });
  }
}
