import { Injectable } from '@nestjs/common';
import type { AgentEvent } from '@bridgefleet/contracts/agent.schema.js';

/** Reacts to agent events the control plane sees for the first time (message status, inbound, line state). */
export interface AgentEventHandler {
  readonly name: string;
  handle(nodeId: string, events: AgentEvent[]): Promise<void>;
}

/**
 * The seam between storing agent events and acting on them: feature modules (the send
 * pipeline, inbound routing, line reputation) register a handler here in onModuleInit.
 */
@Injectable()
export class AgentEventHandlers {
  private readonly handlers: AgentEventHandler[] = [];

  register(handler: AgentEventHandler): void {
    this.handlers.push(handler);
  }

  list(): readonly AgentEventHandler[] {
    return this.handlers;
  }
}
