import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { SimDriver } from '../drivers/sim/sim.driver.js';
import type { NodeAgent } from '../node-agent.js';
import { parseOrThrow, readJson, sendJson, sendNoRoute } from './http-io.js';

const InboundBody = z.strictObject({ from: z.string().min(3).max(254), body: z.string().max(20_000).optional() });
const FaultsBody = z.strictObject({
  messagesApp: z.enum(['running', 'crashed', 'hung']).optional(),
  sendFailureRate: z.number().min(0).max(1).optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  banned: z.boolean().optional(),
});

/** The simulator's controls (API.md): a user texts the line, faults are injected, the Mac's sent history is read. */
export async function handleSimRequest(
  sim: SimDriver,
  agent: NodeAgent,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  if (path === '/sim/inbound' && method === 'POST') {
    const { from, body } = parseOrThrow(InboundBody, await readJson(req), 'body');
    sim.inbound(from, body);
    // 202 means the message is durably in the outbox, as a webhook acknowledgement would.
    await agent.eventsStored();
    return sendJson(res, 202, { accepted: true });
  }
  if (path === '/sim/faults' && method === 'POST') {
    const faults = parseOrThrow(FaultsBody, await readJson(req), 'body');
    sim.setFaults(faults);
    return sendJson(res, 200, sim.state());
  }
  if (path === '/sim/sent' && method === 'GET') return sendJson(res, 200, { items: sim.sent() });
  if (path === '/sim/state' && method === 'GET') return sendJson(res, 200, sim.state());
  return sendNoRoute(req, res, path);
}
