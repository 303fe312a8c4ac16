import { Injectable, Logger } from '@nestjs/common';
import type { RemediationFinished } from '@bridgefleet/contracts/remediation.schema.js';

export type RemediationListener = (event: RemediationFinished) => void | Promise<void>;

/**
 * In-process port for `remediation.finished`, published after the run's final state
 * committed. The webhook sender and auto-remediation subscribe here; a listener that
 * throws is logged and never affects the run or the other listeners.
 */
@Injectable()
export class RemediationEvents {
  private readonly logger = new Logger('remediation-events');
  private readonly listeners = new Set<RemediationListener>();

  subscribe(listener: RemediationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: RemediationFinished): void {
    for (const listener of this.listeners) {
      Promise.resolve()
        .then(() => listener(event))
        .catch((error: unknown) => this.logger.warn(`remediation.finished listener failed: ${(error as Error).message}`));
    }
  }
}
