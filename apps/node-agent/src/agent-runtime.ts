import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { systemTimers, type Timers } from './clock/clock.js';
import { repeatPass } from './clock/repeating-pass.js';
import type { AgentConfig } from './config.js';
import { createDriver } from './drivers/create-driver.js';
import { SimDriver } from './drivers/sim/sim.driver.js';
import { handleAgentRequest, type AgentEndpoint } from './http/agent-routes.js';
import { SendLedgerBook } from './ledger/send-ledger.js';
import { NodeAgent } from './node-agent.js';
import { EventOutboxBook } from './outbox/event-outbox.js';
import { HttpEventSender, type EventSender } from './outbox/event-sender.js';
import { OutboxFlusher } from './outbox/outbox-flusher.js';

export const AGENT_VERSION = '0.1.0';

export interface RunningAgent {
  url: string;
  agent: NodeAgent;
  flusher: OutboxFlusher;
  close(): Promise<void>;
}

/** One agent process: durable ledger and outbox in AGENT_DATA_DIR, the configured driver, the HTTP API. */
export async function startAgent(config: AgentConfig, timers: Timers = systemTimers): Promise<RunningAgent> {
  const log = pino({ name: 'node-agent', level: config.AGENT_LOG_LEVEL });
  const ledgerBook = await SendLedgerBook.open(join(config.AGENT_DATA_DIR, 'send-ledger.jsonl'));
  const outboxBook = await EventOutboxBook.open(join(config.AGENT_DATA_DIR, 'event-outbox.jsonl'));
  const { driver, close: closeDriver } = await createDriver(config, timers);
  const agent = new NodeAgent({
    bridgeId: config.AGENT_BRIDGE_ID,
    version: AGENT_VERSION,
    driver,
    ledger: ledgerBook.forScope(),
    outbox: outboxBook.forScope(),
    timers,
    sendTimeoutMs: config.AGENT_SEND_TIMEOUT_MS,
    log,
    crash: config.AGENT_TEST_CRASH,
  });

  const sender: EventSender = config.CONTROL_PLANE_URL
    ? new HttpEventSender(config.CONTROL_PLANE_URL, timers)
    : { post: async () => false };
  if (!config.CONTROL_PLANE_URL || !config.AGENT_NODE_ID)
    log.warn({}, 'CONTROL_PLANE_URL or AGENT_NODE_ID unset: events are kept in the outbox');
  const flusher = new OutboxFlusher(sender, timers, {
    baseDelayMs: config.AGENT_OUTBOX_BASE_BACKOFF_MS,
    maxDelayMs: config.AGENT_OUTBOX_MAX_BACKOFF_MS,
    onError: (_key, attempts) => {
      if (attempts === 1 || attempts % 10 === 0) log.warn({ attempts }, 'control plane did not acknowledge events; retrying with backoff');
    },
  });
  const nodeId = config.AGENT_NODE_ID;
  flusher.register({ key: 'agent', nodeId: () => nodeId, agentToken: config.AGENT_TOKEN, outbox: outboxBook.forScope() });
  outboxBook.onAdded = () => flusher.notify('agent');
  flusher.start();

  await agent.start();
  const reconciling = repeatPass(
    timers,
    config.AGENT_RECONCILE_INTERVAL_MS,
    () => agent.reconcilePending(),
    (error) => log.error({ err: error.message }, 'reconcile pass failed'),
  );

  const endpoint: AgentEndpoint = {
    agent,
    agentToken: config.AGENT_TOKEN,
    ...(driver instanceof SimDriver ? { sim: driver } : {}),
    ...(driver.handleWebhook ? { webhook: (body: unknown) => driver.handleWebhook?.(body) } : {}),
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://agent');
    handleAgentRequest(endpoint, req, res, url.pathname, url.searchParams).catch((error: Error) =>
      log.error({ err: error.message }, 'request failed'),
    );
  });
  await listen(server, config.AGENT_PORT, config.AGENT_HOST);
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.AGENT_HOST.includes(':') ? `[${config.AGENT_HOST}]` : config.AGENT_HOST}:${port}`;
  log.info({ url, driver: driver.name }, 'node agent listening');

  return {
    url,
    agent,
    flusher,
    async close() {
      reconciling.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await flusher.stop();
      await agent.stop();
      await Promise.all([ledgerBook.close(), outboxBook.close(), closeDriver()]);
    },
  };
}

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
