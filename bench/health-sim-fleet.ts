/**
 * The benchmark's simulated fleet: N agents, each its own HTTP server on its own
 * loopback port (as each Mac is its own host), answering `GET /health` with a valid
 * AgentHealthReport. Runs as a child process of bench/health.bench.ts and talks over IPC:
 * it sends {ready, ports} once listening, answers {kill: index} by closing that agent
 * (connection refused from then on) and {rss: true} with its resident set size.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const count = Number(process.argv[2] ?? 10_000);
// Node's default: idle keep-alive connections close after 5 s, before the next probe 10 s later.
const keepAliveMs = Number(process.argv[3] ?? 5_000);
const started = Date.now();

function report(index: number): string {
  return JSON.stringify({
    bridgeId: `sim-${index}`,
    status: 'healthy',
    messagesAppRunning: true,
    lastMessageSentAt: null,
    pendingCommands: 0,
    uptime: (Date.now() - started) / 1_000,
    driver: 'sim',
    version: 'bench',
    signals: { helperConnected: true, imessageSignedIn: true },
  });
}

async function main(): Promise<void> {
  const servers: http.Server[] = [];
  for (let index = 0; index < count; index++) {
    const server = http.createServer((request, response) => {
      if (request.url !== '/health') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(report(index));
    });
    server.keepAliveTimeout = keepAliveMs;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    servers.push(server);
  }
  process.on('message', (message: { kill?: number; rss?: boolean }) => {
    if (message.kill !== undefined) {
      const server = servers[message.kill]!;
      server.close();
      server.closeAllConnections();
      process.send?.({ killed: message.kill });
    }
    if (message.rss) process.send?.({ rss: process.memoryUsage().rss });
  });
  process.send?.({ ready: true, ports: servers.map((server) => (server.address() as AddressInfo).port) });
}

main().catch((error: unknown) => {
  process.stderr.write(`sim fleet failed: ${(error as Error).message}\n`);
  process.exit(1);
});
