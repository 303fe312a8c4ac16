import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentHealthReport } from '@bridgefleet/contracts/agent.schema.js';

/**
 * A tiny real HTTP peer speaking the node agent's `GET /health` protocol, for
 * health-poller tests: it can be stopped (connection refused, like a dead Mac)
 * and restarted on the same port, and it records when each probe arrived.
 */
/**
 * How the stub answers: `report` is a valid report (with the setReport patch); the
 * others are broken agents. `missing-field` drops `status`, `wrong-type` sends
 * `pendingCommands` as a string, `huge-body` starts a 5 MB body, `slow-drip` sends
 * headers at once then one byte of a valid report every 200 ms.
 */
export type HealthStubMode = 'report' | 'missing-field' | 'wrong-type' | 'huge-body' | 'slow-drip';

/** Size of the `huge-body` answer. */
export const HUGE_BODY_BYTES = 5 * 1024 * 1024;
const DRIP_EVERY_MS = 200;
const HUGE_CHUNK_BYTES = 64 * 1024;
const HUGE_EVERY_MS = 2;

export interface HealthAgentStub {
  url: string;
  token: string;
  /** Wall-clock times (ms) of every /health request answered. */
  probes: number[];
  /**
   * Body bytes the stub managed to hand to the socket per answer before it finished or the
   * prober hung up (`huge-body` / `slow-drip`): proves the prober stopped reading early.
   */
  bodyBytesWritten: number[];
  setReport(patch: Partial<AgentHealthReport>): void;
  setMode(mode: HealthStubMode): void;
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHealthAgentStub(
  options: { token?: string; report?: Partial<AgentHealthReport>; mode?: HealthStubMode } = {},
): Promise<HealthAgentStub> {
  const token = options.token ?? `stub-token-${Math.random().toString(36).slice(2)}`;
  const started = Date.now();
  let report: Partial<AgentHealthReport> = options.report ?? {};
  const probes: number[] = [];
  const bodyBytesWritten: number[] = [];
  let mode: HealthStubMode = options.mode ?? 'report';

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
    if (mode === 'huge-body') return void streamHugeBody(response, (bytes) => bodyBytesWritten.push(bytes));
    if (mode === 'slow-drip') return void dripBody(response, JSON.stringify(body), (bytes) => bodyBytesWritten.push(bytes));
    const sent: Record<string, unknown> = { ...body };
    if (mode === 'missing-field') delete sent.status;
    if (mode === 'wrong-type') sent.pendingCommands = 'three';
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(sent));
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
    bodyBytesWritten,
    setReport: (patch) => {
      report = { ...report, ...patch };
    },
    setMode: (next) => {
      mode = next;
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

/**
 * Streams a 5 MB JSON-looking body, chunked, one 64 KiB chunk every 2 ms (all of it in well
 * under a probe timeout), and reports how many bytes went out before it ended or the peer
 * hung up. Paced so that loopback socket buffers cannot swallow megabytes the prober never read.
 */
function streamHugeBody(response: http.ServerResponse, done: (bytes: number) => void): void {
  // Chunked, no content-length: the prober must stop by counting, not by trusting a header.
  response.writeHead(200, { 'content-type': 'application/json' });
  const chunk = Buffer.alloc(HUGE_CHUNK_BYTES, 0x20);
  let written = 0;
  const timer = setInterval(() => {
    if (response.destroyed || response.writableNeedDrain) return;
    const size = Math.min(chunk.length, HUGE_BODY_BYTES - written);
    response.write(size === chunk.length ? chunk : chunk.subarray(0, size));
    written += size;
    if (written >= HUGE_BODY_BYTES) {
      clearInterval(timer);
      response.end();
    }
  }, HUGE_EVERY_MS);
  response.on('close', () => {
    clearInterval(timer);
    done(written);
  });
}

/** Headers at once, then one byte every 200 ms until the body is out or the peer hangs up. */
function dripBody(response: http.ServerResponse, body: string, done: (bytes: number) => void): void {
  const bytes = Buffer.from(body);
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(bytes.length) });
  response.flushHeaders();
  let written = 0;
  const timer = setInterval(() => {
    if (response.destroyed || written >= bytes.length) return;
    response.write(bytes.subarray(written, written + 1));
    written += 1;
    if (written >= bytes.length) response.end();
  }, DRIP_EVERY_MS);
  response.on('close', () => {
    clearInterval(timer);
    done(written);
  });
}
