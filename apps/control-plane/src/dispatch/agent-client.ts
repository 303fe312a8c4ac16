import { Injectable } from '@nestjs/common';
import { SendResult, type SendCommand } from '@bridgefleet/contracts/agent.schema.js';

export interface AgentTarget {
  agentUrl: string;
  agentToken: string;
}

export type AgentCallResult =
  | { kind: 'answered'; result: SendResult }
  /** No answer in time, connection refused, or an unparseable reply: ask before any resend. */
  | { kind: 'no_answer'; error: string }
  | { kind: 'not_found' };

function endpoint(target: AgentTarget, path: string): string {
  return `${target.agentUrl.replace(/\/+$/, '')}${path}`;
}

/** The control plane's side of the node agent API (POST /v1/send, GET /v1/sends/:id). */
@Injectable()
export class AgentClient {
  async send(target: AgentTarget, command: SendCommand, timeoutMs: number): Promise<AgentCallResult> {
    return this.call(target, '/v1/send', timeoutMs, { method: 'POST', body: JSON.stringify(command) });
  }

  async lookup(target: AgentTarget, messageId: string, timeoutMs: number): Promise<AgentCallResult> {
    return this.call(target, `/v1/sends/${encodeURIComponent(messageId)}`, timeoutMs, { method: 'GET' });
  }

  private async call(target: AgentTarget, path: string, timeoutMs: number, init: RequestInit): Promise<AgentCallResult> {
    try {
      const response = await fetch(endpoint(target, path), {
        ...init,
        headers: { authorization: `Bearer ${target.agentToken}`, 'content-type': 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.status === 404) return { kind: 'not_found' };
      const text = await response.text();
      if (!response.ok) return { kind: 'no_answer', error: `agent answered ${response.status}` };
      const parsed = SendResult.safeParse(JSON.parse(text));
      if (!parsed.success) return { kind: 'no_answer', error: 'agent sent an invalid send result' };
      return { kind: 'answered', result: parsed.data };
    } catch (error) {
      return { kind: 'no_answer', error: (error as Error).message };
    }
  }
}
