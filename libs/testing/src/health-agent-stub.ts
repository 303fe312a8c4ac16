import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentHealthReport } from '@bridgefleet/contracts/agent.schema.js';

/**
 * A tiny real HTTP peer speaking the node agent's `GET /health` protocol, for
 * health-poller tests: it can be stopped (connection refused, like a dead Mac)
 * and restarted on the same port, and it records when each probe arrived.
 */
export interface HealthAgentStub {
  url: string;
  token: string;
  /** Wall-clock times (ms) of every /health request answered. */
  probes: number[];
  setReport(patch: Partial<AgentHealthReport>): void;
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHealthAgentStub(
  options: { token?: string; report?: Partial<AgentHealthReport> } = {},
): Promise<HealthAgentStub> {
  const token = options.token ?? `stub-token-${Math.random().toString(36).slice(2)}`;
  const started = Date.now();
  let report: Partial<AgentHealthReport> = options.report ?? {};
  const probes: number[] = [];

  const handler: http.RequestListener = (request, response) => {
    if (request.method !== 'GET' || request.url !== '/health') return void response.writeHead(404).end();
    if (request.headers.authorization !== `Bearer ${token}`) return void response.writeHead(401).end();
    probes.push(Date.now());
    const body: AgentHealthReport = {
      bridgeId: 'stub',
      status: 'healthy',
      messagesAppRunning: true,
      lastMessageSentAt: null,
      pendingCommands: 0,
      uptime: (Date.now() - started) / 1_000,
      driver: 'sim',
      version: 'stub',
      signals: {},
      ...report,
    };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  let server = http.createServer(handler);
  await listen(server, 0);
  const { port } = server.address() as AddressInfo;

  const stop = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    probes,
    setReport: (patch) => {
      report = { ...report, ...patch };
    },
    stop,
    restart: async () => {
      await stop();
      server = http.createServer(handler);
      await listen(server, port);
    },
    close: stop,
  };
}

function listen(server: http.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
