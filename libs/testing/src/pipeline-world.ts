import { randomUUID } from 'node:crypto';
import { isValidPhoneNumber } from 'libphonenumber-js/max';
import type { SimFleet } from '../../../apps/node-agent/src/fleet/sim-fleet.js';
import { ManualClock } from '../../../apps/control-plane/src/clock/clock.js';
import { startTestFleet } from './agents.js';
import { startControlPlane, type TestControlPlane } from './control-plane.js';
import { freshDatabase } from './databases.js';
import { eventually } from './eventually.js';

let contactSequence = Math.floor(Math.random() * 1_000_000);

/** A recipient with iMessage in the sim (the sim treats numbers ending in 0000 as without). */
export function newContact(): string {
  for (;;) {
    const n = contactSequence++ % 9_000_000;
    const candidate = `+1206${300 + Math.floor(n / 10_000)}${String(n % 10_000).padStart(4, '0')}`;
    if (!candidate.endsWith('0000') && isValidPhoneNumber(candidate)) return candidate;
  }
}

export interface PipelineWorld {
  clock: ManualClock;
  planes: TestControlPlane[];
  cp: TestControlPlane;
  fleet: SimFleet;
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * The world of a send-pipeline test: its own database and Redis prefix, one or more
 * control planes sharing a ManualClock, a simulated fleet registered to them, and
 * every node reported healthy by the real health poller.
 */
export async function startPipelineWorld(options: {
  nodes: number;
  planes?: number;
  limits?: Record<string, number>;
  sim?: Record<string, unknown>;
  env?: Record<string, string>;
}): Promise<PipelineWorld> {
  const clock = new ManualClock(Date.now());
  const databaseUrl = await freshDatabase();
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: `bfp${randomUUID().slice(0, 8)}`,
    HEALTH_POLL_INTERVAL_MS: '200',
    RECONCILE_INTERVAL_MS: '1000',
    AGENT_SEND_TIMEOUT_MS: '2000',
    ...options.env,
  };
  const cp = await startControlPlane(env, { clock });
  const patch = await cp.admin.patch('/v1/fleet/settings', {
    limits: { minGapSeconds: 0, warmupDays: 0, ratioMinSample: 100_000, maxUnanswered: 1_000, ...options.limits },
  });
  if (patch.status !== 200) throw new Error(`fleet settings: ${patch.status} ${patch.text}`);
  // Further planes start after the change, so none holds the defaults in its settings cache.
  const planes: TestControlPlane[] = [cp];
  for (let i = 1; i < (options.planes ?? 1); i += 1) planes.push(await startControlPlane(env, { clock }));
  const fleet = await startTestFleet({
    count: options.nodes,
    controlPlaneUrl: cp.baseUrl,
    apiKey: cp.adminKey,
    namePrefix: `pipe-${randomUUID().slice(0, 6)}`,
    ...(options.sim ? { sim: options.sim as never } : {}),
  });
  await eventually(
    async () => {
      const nodes = await cp.admin.get('/v1/nodes?limit=500');
      return (
        nodes.body.items.length === options.nodes &&
        nodes.body.items.every((n: { health: { state: string } }) => n.health.state === 'healthy')
      );
      // The poller runs one probe per node per interval of the (manual) clock: move it along.
    },
    'every node healthy',
    { tick: () => clock.advance(250), timeoutMs: 30_000 },
  );
  return {
    clock,
    planes,
    cp,
    fleet,
    databaseUrl,
    close: async () => {
      await fleet.close();
      for (const plane of planes) await plane.close();
    },
  };
}
