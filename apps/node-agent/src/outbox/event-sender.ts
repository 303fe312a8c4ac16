import { AGENT_SIGNATURE_HEADERS, type AgentEvent } from '@bridgefleet/contracts/agent.schema.js';
import { signAgentBody } from '@bridgefleet/contracts/agent-signature.js';
import type { Clock } from '../clock/clock.js';

export interface EventSender {
  /** True only when the control plane acknowledged the batch (2xx). */
  post(nodeId: string, agentToken: string, events: AgentEvent[]): Promise<boolean>;
}

/** POSTs signed batches to `<control plane>/v1/agent/events`. */
export class HttpEventSender implements EventSender {
  constructor(
    private readonly controlPlaneUrl: string,
    private readonly clock: Clock,
    private readonly timeoutMs = 10_000,
  ) {}

  async post(nodeId: string, agentToken: string, events: AgentEvent[]): Promise<boolean> {
    const body = JSON.stringify({ events });
    const timestamp = Math.floor(this.clock.now() / 1000);
    try {
      const response = await fetch(new URL('/v1/agent/events', this.controlPlaneUrl), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [AGENT_SIGNATURE_HEADERS.node]: nodeId,
          [AGENT_SIGNATURE_HEADERS.timestamp]: String(timestamp),
          [AGENT_SIGNATURE_HEADERS.signature]: signAgentBody(agentToken, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.ok;
    } catch {
      // Connection refused, reset or timed out: the batch stays in the outbox.
      return false;
    }
  }
}
