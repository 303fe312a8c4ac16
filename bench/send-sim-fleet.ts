/**
 * The simulated fleet of `npm run bench:send`, a child process: startSimFleet with N
 * nodes answering sends in 0–5 ms and never replying (so no ratio or unanswered rule
 * could matter), its events (delivered) posted to the control plane like a real fleet.
 * IPC: sends {ready, agents}; {members: [{nodeId, lineId}]} (the benchmark registered
 * them) → {registered}; {count: true} → {sent: n} (sends the sims performed).
 */
import { startSimFleet } from '../apps/node-agent/src/fleet/sim-fleet.js';

const count = Number(process.argv[2] ?? 1_000);
const controlPlaneUrl = process.argv[3]!;

async function main(): Promise<void> {
  const fleet = await startSimFleet({
    count,
    controlPlaneUrl,
    logLevel: 'silent',
    namePrefix: 'bench',
    sim: { SIM_LATENCY_MS: 0, SIM_LATENCY_JITTER_MS: 5, SIM_RESPONSE_RATE: 0, SIM_FAILURE_RATE: 0 },
  });
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    // A shutdown that hangs (a blocked Redis read, a send in flight) must not outlive the benchmark.
    setTimeout(() => process.exit(0), 5_000).unref();
    void fleet
      .close()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.on('message', (message: { members?: Array<{ nodeId: string; lineId: string }>; count?: boolean; stop?: boolean }) => {
    if (message.members) {
      message.members.forEach((member, index) => {
        const node = fleet.nodes[index]!;
        node.nodeId = member.nodeId;
        node.lineId = member.lineId;
        fleet.flusher.notify(node.name);
      });
      process.send?.({ registered: true });
    }
    if (message.count) process.send?.({ sent: fleet.nodes.reduce((sum, node) => sum + node.sim.sent().length, 0) });
    if (message.stop) stop();
  });
  process.once('disconnect', stop);
  process.once('SIGTERM', stop);
  process.send?.({
    ready: true,
    agents: fleet.nodes.map((node) => ({
      name: node.name,
      agentUrl: node.agentUrl,
      agentToken: node.agentToken,
      phoneNumber: node.phoneNumber,
      appleId: node.appleId,
    })),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench sim fleet failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
