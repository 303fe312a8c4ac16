import { ConfigError, loadSimFleetConfig } from './config.js';
import { startSimFleet } from './fleet/sim-fleet.js';

/** `npm run sim-fleet`: N simulated Macs on one port, registered with the control plane. */
async function main(): Promise<void> {
  const config = loadSimFleetConfig();
  const { SIM_FLEET_SIZE, SIM_FLEET_HOST, SIM_FLEET_PORT, SIM_FLEET_PUBLIC_URL, SIM_FLEET_DATA_DIR, CONTROL_PLANE_URL, ...sim } = config;
  const apiKey = config.SIM_API_KEY ?? config.BRIDGEFLEET_ADMIN_KEY;
  const fleet = await startSimFleet({
    count: SIM_FLEET_SIZE,
    host: SIM_FLEET_HOST,
    port: SIM_FLEET_PORT,
    ...(SIM_FLEET_PUBLIC_URL ? { publicUrl: SIM_FLEET_PUBLIC_URL } : {}),
    ...(SIM_FLEET_DATA_DIR ? { dataDir: SIM_FLEET_DATA_DIR } : {}),
    ...(CONTROL_PLANE_URL ? { controlPlaneUrl: CONTROL_PLANE_URL } : {}),
    ...(apiKey ? { apiKey } : {}),
    sim,
  });
  process.stdout.write(
    `${JSON.stringify({ event: 'sim-fleet.listening', url: fleet.url, nodes: fleet.nodes.length, registered: !!fleet.nodes[0]?.nodeId })}\n`,
  );
  const shutdown = () => {
    void fleet.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
