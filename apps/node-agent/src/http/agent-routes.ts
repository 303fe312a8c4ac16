import type { IncomingMessage, ServerResponse } from 'node:http';
import { SendCommand } from '@bridgefleet/contracts/agent.schema.js';
import { z } from 'zod';
import type { SimDriver } from '../drivers/sim/sim.driver.js';
import type { NodeAgent } from '../node-agent.js';
import { bearerMatches } from './bearer.js';
import { BadRequest, parseOrThrow, readJson, sendJson, sendNoRoute, sendProblem } from './http-io.js';
import { handleSimRequest } from './sim-routes.js';

/** One agent as the HTTP layer sees it; a fleet serves many of these from one server. */
export interface AgentEndpoint {
  agent: NodeAgent;
  agentToken: string;
  /** Present with the sim driver: enables the /sim/ routes. */
  sim?: SimDriver;
  /** The driver's webhook intake (BlueBubbles posts there, unauthenticated, from the same Mac). */
  webhook?: (body: unknown) => void;
}

const MessageIdParams = z.strictObject({ messageId: z.uuid() });
const AvailabilityQuery = z.strictObject({ address: z.string().min(3).max(254) });

/** Routes of the node agent API (API.md "Node agent API"); `path` is relative to the agent URL. */
export async function handleAgentRequest(
  endpoint: AgentEndpoint,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  try {
    if (path.startsWith('/sim/')) return await handleSimRoute(endpoint, req, res, path);
    if (path === '/bluebubbles/webhook' && req.method === 'POST' && endpoint.webhook && isLoopback(req.socket.remoteAddress)) {
      return await handleBridgeWebhook(endpoint.webhook, endpoint.agent, req, res);
    }
    if (!bearerMatches(req.headers.authorization, endpoint.agentToken)) {
      req.resume();
      return sendProblem(res, 401, 'Unauthorized', 'A valid agent credential is required (Authorization: Bearer …).', undefined, {
        'www-authenticate': 'Bearer realm="bridgefleet-agent"',
      });
    }
    return await route(endpoint.agent, req, res, path, query);
  } catch (error) {
    if (error instanceof BadRequest) return sendProblem(res, error.status, error.title, error.message, error.errors);
    if (!res.headersSent) sendProblem(res, 500, 'Internal error', 'The agent failed to handle the request.');
    throw error;
  }
}

async function route(agent: NodeAgent, req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
  const method = req.method ?? 'GET';
  if (path === '/health' && method === 'GET') return sendJson(res, 200, await agent.health());
  if (path === '/v1/send' && method === 'POST') {
    const command = parseOrThrow(SendCommand, await readJson(req), 'body');
    return sendJson(res, 200, await agent.send(command));
  }
  const sendMatch = /^\/v1\/sends\/([^/]+)$/.exec(path);
  if (sendMatch && method === 'GET') {
    const { messageId } = parseOrThrow(MessageIdParams, { messageId: decodeURIComponent(sendMatch[1]!) }, 'params');
    const result = agent.lookup(messageId);
    if (!result) return sendProblem(res, 404, 'Not found', `This agent has no record of message ${messageId}.`);
    return sendJson(res, 200, result);
  }
  if (path === '/v1/availability' && method === 'GET') {
    const { address } = parseOrThrow(AvailabilityQuery, Object.fromEntries(query), 'query');
    return sendJson(res, 200, { address, imessage: await agent.availability(address) });
  }
  return sendNoRoute(req, res, path);
}

async function handleSimRoute(endpoint: AgentEndpoint, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  // The simulator's controls have no credential, so they answer only on loopback.
  if (!endpoint.sim || !isLoopback(req.socket.remoteAddress)) return sendNoRoute(req, res, path);
  return handleSimRequest(endpoint.sim, endpoint.agent, req, res, path);
}

async function handleBridgeWebhook(
  webhook: (body: unknown) => void,
  agent: NodeAgent,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readJson(req);
  try {
    webhook(body);
  } catch (error) {
    return sendProblem(res, 400, 'Invalid request', (error as Error).message);
  }
  await agent.eventsStored();
  return sendJson(res, 200, { received: true });
}

function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}
