import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { AGENT_VERSION, listen } from '../agent-runtime.js';
import { systemTimers, type Timers } from '../clock/clock.js';
import { repeatPass } from '../clock/repeating-pass.js';
import { SimFleetConfigSchema, type SimFleetConfig } from '../config.js';
import { simOptionsFrom } from '../drivers/sim/sim-options.js';
import { SimSentBook } from '../drivers/sim/sim-sent-book.js';
import { SimDriver } from '../drivers/sim/sim.driver.js';
import { handleAgentRequest } from '../http/agent-routes.js';
import { sendProblem } from '../http/http-io.js';
import { SendLedgerBook } from '../ledger/send-ledger.js';
import { NodeAgent } from '../node-agent.js';
import { EventOutboxBook } from '../outbox/event-outbox.js';
import { HttpEventSender } from '../outbox/event-sender.js';
import { OutboxFlusher } from '../outbox/outbox-flusher.js';
import { registerFleet, type FleetMember } from './fleet-registration.js';
import { lineNumbers } from './line-numbers.js';

type SimSettings = Omit<SimFleetConfig, 'SIM_FLEET_SIZE' | 'CONTROL_PLANE_URL' | 'SIM_API_KEY' | 'BRIDGEFLEET_ADMIN_KEY'>;

export interface SimFleetOptions {
  count: number;
  controlPlaneUrl?: string;
  /** fleet:write key; without it (or the URL) nodes are not registered and events wait. */
  apiKey?: string;
  host?: string;
  port?: number;
  /** Base of the agent URLs as the control plane reaches them; default http://<host>:<port>. */
  publicUrl?: string;
  namePrefix?: string;
  firstNumber?: string;
  secret?: string;
  /** Shared send ledger, outbox and sim history files (one record scope per node); in memory without. */
  dataDir?: string;
  /** SIM_* behaviour (latency, failure rate, response rate, ban model, …) for every node. */
  sim?: Partial<SimSettings>;
  timers?: Timers;
  reconcileIntervalMs?: number;
  logLevel?: SimFleetConfig['AGENT_LOG_LEVEL'];
}

export interface SimFleetNode extends FleetMember {
  index: number;
  agent: NodeAgent;
  sim: SimDriver;
}

export interface SimFleet {
  url: string;
  nodes: SimFleetNode[];
  flusher: OutboxFlusher;
  /** (Re-)registers every node and line; done by startSimFleet when a URL and key are given. */
  register(): Promise<void>;
  close(): Promise<void>;
}

/**
 * N simulated Macs in one process: one HTTP server (agent n at /nodes/n), one outbox
 * flusher and one reconcile timer for all, so 10,000 agents cost little more than their state.
 */
export async function startSimFleet(options: SimFleetOptions): Promise<SimFleet> {
  const settings: SimFleetConfig = { ...SimFleetConfigSchema.parse({}), ...options.sim };
  const timers = options.timers ?? systemTimers;
  const log = pino({ name: 'sim-fleet', level: options.logLevel ?? settings.AGENT_LOG_LEVEL });
  const host = options.host ?? '127.0.0.1';
  const prefix = options.namePrefix ?? settings.SIM_FLEET_NAME_PREFIX;
  const secret = options.secret ?? settings.SIM_FLEET_SECRET;
  const dir = options.dataDir;
  const ledgerBook = dir ? await SendLedgerBook.open(join(dir, 'send-ledger.jsonl')) : SendLedgerBook.inMemory();
  const outboxBook = dir ? await EventOutboxBook.open(join(dir, 'event-outbox.jsonl')) : EventOutboxBook.inMemory();
  const sentBook = dir ? await SimSentBook.open(join(dir, 'sim-sent.jsonl')) : SimSentBook.inMemory();
  const sender = options.controlPlaneUrl ? new HttpEventSender(options.controlPlaneUrl, timers) : { post: async () => false };
  const flusher = new OutboxFlusher(sender, timers);
  outboxBook.onAdded = (scope) => flusher.notify(scope);

  const server = createServer();
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  const publicUrl = (options.publicUrl ?? url).replace(/\/$/, '');

  const numbers = lineNumbers(options.firstNumber ?? settings.SIM_FLEET_FIRST_NUMBER, options.count);
  const nodes: SimFleetNode[] = [];
  for (let index = 1; index <= options.count; index++) {
    const name = `${prefix}-${index}`;
    const scope = name;
    const sim = new SimDriver(simOptionsFrom(settings, timers, sentBook.forScope(scope), index));
    const agent = new NodeAgent({
      bridgeId: name,
      version: AGENT_VERSION,
      driver: sim,
      ledger: ledgerBook.forScope(scope),
      outbox: outboxBook.forScope(scope),
      timers,
      sendTimeoutMs: 150_000,
      log,
    });
    const node: SimFleetNode = {
      index,
      name,
      agentUrl: `${publicUrl}/nodes/${index}`,
      agentToken: createHmac('sha256', secret).update(name).digest('base64url'),
      phoneNumber: numbers[index - 1]!,
      appleId: `${name}@sim.bridgefleet.dev`,
      agent,
      sim,
    };
    nodes.push(node);
    flusher.register({ key: scope, nodeId: () => node.nodeId, agentToken: node.agentToken, outbox: outboxBook.forScope(scope) });
    await agent.start();
  }

  server.on('request', (req, res) => {
    const requestUrl = new URL(req.url ?? '/', 'http://fleet');
    const match = /^\/nodes\/(\d+)(\/.*)$/.exec(requestUrl.pathname);
    const node = match ? nodes[Number(match[1]) - 1] : undefined;
    if (!match || !node) {
      req.resume();
      return sendProblem(res, 404, 'Not found', 'No such simulated node.');
    }
    handleAgentRequest(
      { agent: node.agent, agentToken: node.agentToken, sim: node.sim },
      req,
      res,
      match[2]!,
      requestUrl.searchParams,
    ).catch((error: Error) => log.error({ err: error.message, node: node.name }, 'request failed'));
  });

  // One timer for the whole fleet: only agents with unsettled sends are asked.
  const reconciling = repeatPass(
    timers,
    options.reconcileIntervalMs ?? 30_000,
    async () => {
      for (const node of nodes) if (node.agent.hasPending()) await node.agent.reconcilePending();
    },
    (error) => log.error({ err: error.message }, 'reconcile pass failed'),
  );
  flusher.start();

  const register = async () => {
    if (!options.controlPlaneUrl || !options.apiKey) throw new Error('registering the fleet needs controlPlaneUrl and apiKey');
    await registerFleet(nodes, options.controlPlaneUrl, options.apiKey, log);
    for (const node of nodes) flusher.notify(node.name);
  };
  if (options.controlPlaneUrl && options.apiKey) await register();

  return {
    url,
    nodes,
    flusher,
    register,
    async close() {
      reconciling.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await flusher.stop();
      await Promise.all(nodes.map((node) => node.agent.stop()));
      await Promise.all([ledgerBook.close(), outboxBook.close(), sentBook.close()]);
    },
  };
}
