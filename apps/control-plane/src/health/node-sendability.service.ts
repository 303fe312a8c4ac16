import { Injectable } from '@nestjs/common';
import { isHealthSendable } from '@bridgefleet/policy/health/health-state-machine.js';
import { NodeHealthRepository } from './node-health.repository.js';

/**
 * "An unreachable node's line is paused for sending": a line's sendability is derived
 * from its node's health state on the node row (the poller is its only writer), never
 * copied onto the line, so the two cannot disagree. The dispatcher asks here (or
 * reads nodes.health_state in the same query that picks the line) before a send.
 */
@Injectable()
export class NodeSendability {
  constructor(private readonly nodes: NodeHealthRepository) {}

  /** False for an unreachable node and for a node that does not exist. */
  async isNodeSendable(nodeId: string): Promise<boolean> {
    const state = await this.nodes.healthOf(nodeId);
    return state !== null && isHealthSendable(state);
  }
}
