import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AGENT_SIGNATURE_HEADERS } from '@bridgefleet/contracts/agent.schema.js';
import { verifyAgentSignature } from '@bridgefleet/contracts/agent-signature.js';
import type { RawBodyRequest } from '../bootstrap.js';
import { Unauthenticated } from '../http/problems.js';
import { AgentEventRepository } from './agent-event.repository.js';

export type SignedAgentRequest = RawBodyRequest & { agentNodeId?: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Agent routes: the caller is the node named in X-Bridgefleet-Node, proven by an HMAC of the
 * exact body bytes with that node's agent credential and a fresh timestamp. Runs before body
 * validation, so an unsigned caller learns nothing about the schema.
 */
@Injectable()
export class AgentSignatureGuard implements CanActivate {
  constructor(private readonly repository: AgentEventRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SignedAgentRequest>();
    const nodeId = header(request, AGENT_SIGNATURE_HEADERS.node);
    const refused = new Unauthenticated(
      'A signed request from a registered node is required (X-Bridgefleet-Node, -Timestamp, -Signature).',
    );
    if (!nodeId || !UUID.test(nodeId)) throw refused;
    const token = await this.repository.findAgentToken(nodeId);
    if (!token) throw refused;
    const check = verifyAgentSignature(
      token,
      header(request, AGENT_SIGNATURE_HEADERS.signature),
      header(request, AGENT_SIGNATURE_HEADERS.timestamp),
      request.rawBody ?? Buffer.alloc(0),
      // Replay protection compares against the wall clock the agent signs with, not the
      // injectable decision clock (which tests move through days).
      Math.floor(Date.now() / 1000),
    );
    if (!check.ok) throw new Unauthenticated(`The agent signature was refused: ${check.reason}.`);
    request.agentNodeId = nodeId;
    return true;
  }
}

function header(request: SignedAgentRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
