/**
 * The benchmark's simulated fleet, a child process of bench/health.bench.ts, in one of two shapes:
 * - `sim` (default): the project's own simulated fleet (startSimFleet: real NodeAgent and
 *   SimDriver per node, all on one port under /nodes/<n>), so the figures include the
 *   agent's real /health handler and the RSS is that fleet's;
 * - `ports`: one minimal HTTP server per agent on its own port, as each Mac is its own
 *   host, so every probe pays for its own TCP connection unless kept alive.
 * IPC: sends {ready, agents: [{url, token}]}; answers {kill: index} by making that agent
 * refuse connections, {rss: true} with its resident set size.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startSimFleet } from '../apps/node-agent/src/fleet/sim-fleet.js';

const count = Number(process.argv[2] ?? 10_000);
const mode = process.argv[3] === 'ports' ? 'ports' : 'sim';
// Node's default: idle keep-alive connections close after 5 s, before the next probe 10 s later.
const keepAliveMs = Number(process.argv[4] ?? 5_000);
/** The agent the benchmark kills; in `sim` mode it sits behind its own relay so it can vanish alone. */
const VICTIM = Math.floor(count / 2);

interface Agent {
  url: string;
  token: string;
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function stop(server: net.Server, sockets: Iterable<net.Socket> = []): void {
  server.close();
  if (server instanceof http.Server) server.closeAllConnections();
  for (const socket of sockets) socket.destroy();
}

async function simFleet(): Promise<{ agents: Agent[]; kill(index: number): void }> {
  const fleet = await startSimFleet({ count, logLevel: 'silent' });
  const port = Number(new URL(fleet.url).port);
  // A TCP relay in front of the victim only: killing it is a connection refused, as from a dead Mac.
  const open = new Set<net.Socket>();
  const relay = net.createServer((inbound) => {
    const outbound = net.connect(port, '127.0.0.1');
    for (const socket of [inbound, outbound]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => (socket === inbound ? outbound : inbound).destroy());
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  const relayPort = await listen(relay);
  const agents = fleet.nodes.map((node, index) => ({
    url: index === VICTIM ? node.agentUrl.replace(`:${port}/`, `:${relayPort}/`) : node.agentUrl,
    token: node.agentToken,
  }));
  return { agents, kill: () => stop(relay, open) };
}

async function portsFleet(): Promise<{ agents: Agent[]; kill(index: number): void }> {
  const started = Date.now();
  const servers: http.Server[] = [];
  const agents: Agent[] = [];
  for (let index = 0; index < count; index++) {
    const body = (): string =>
      JSON.stringify({
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
    const server = http.createServer((request, response) => {
      if (request.url !== '/health') return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(body());
    });
    server.keepAliveTimeout = keepAliveMs;
    servers.push(server);
    agents.push({ url: `http://127.0.0.1:${await listen(server)}`, token: 'bench-token' });
  }
  return { agents, kill: (index) => stop(servers[index]!) };
}

async function main(): Promise<void> {
  const fleet = mode === 'sim' ? await simFleet() : await portsFleet();
  process.on('message', (message: { kill?: number; rss?: boolean }) => {
    if (message.kill !== undefined) {
      fleet.kill(message.kill);
      process.send?.({ killed: message.kill });
    }
    if (message.rss) process.send?.({ rss: process.memoryUsage().rss });
  });
  process.send?.({ ready: true, agents: fleet.agents, victim: VICTIM });
}

main().catch((error: unknown) => {
  process.stderr.write(`sim fleet failed: ${(error as Error).message}\n`);
  process.exit(1);
});
