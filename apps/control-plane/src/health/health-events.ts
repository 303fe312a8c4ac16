import { Injectable, Logger } from '@nestjs/common';
import type { HealthState } from '@bridgefleet/policy/line-lifecycle.js';

export interface NodeHealthChanged {
  type: 'node.health';
  nodeId: string;
  from: HealthState;
  to: HealthState;
  reason: string;
  at: Date;
}

export type HealthListener = (event: NodeHealthChanged) => void | Promise<void>;

/**
 * In-process port for node health changes, published after the change is committed.
 * Webhooks (`node.health`) and auto-remediation subscribe here; a listener that
 * throws is logged and does not stop the poller or the other listeners.
 */
@Injectable()
export class HealthEvents {
  private readonly logger = new Logger('health-events');
  private readonly listeners = new Set<HealthListener>();

  subscribe(listener: HealthListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: NodeHealthChanged): void {
    for (const listener of this.listeners) {
      Promise.resolve()
        .then(() => listener(event))
        .catch((error: unknown) => this.logger.warn(`node.health listener failed: ${(error as Error).message}`));
    }
  }
}
