import { describe, expect, it } from 'vitest';
import { DEFAULT_FLEET_SETTINGS } from '@bridgefleet/contracts/fleet-settings.schema.js';
import { ManualClock } from '../clock/clock.js';
import type { AppConfig } from '../config/config.schema.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { AgentProber, ProbeOutcome } from './agent-prober.js';
import { HealthEvents, type NodeHealthChanged } from './health-events.js';
import { HealthMetrics } from './health-metrics.js';
import { HealthPollerService } from './health-poller.service.js';
import type { HealthSettingsSource } from './health-settings.source.js';
import type { HealthChange, NodeHealthRepository, NodeHealthWrite, PollTarget } from './node-health.repository.js';
import type { ProbeLeaseRepository } from './probe-lease.repository.js';
import type { StormGuardService } from './storm-guard.service.js';

const INTERVAL_MS = 10_000;
const NODE = '00000000-0000-4000-8000-000000000001';
const report = {
  bridgeId: 'mac',
  status: 'healthy',
  messagesAppRunning: true,
  lastMessageSentAt: null,
  pendingCommands: 0,
  uptime: 1,
  driver: 'sim',
  version: '1',
  signals: {},
} as const;
const ok: ProbeOutcome = { ok: true, report };
const refused: ProbeOutcome = { ok: false, result: 'unreachable', error: 'ECONNREFUSED' };

/** In-memory stand-ins for the repositories (the real ones run in test/health-poller.e2e-spec.ts). */
class FakeWorld {
  target: PollTarget = { id: NODE, agentUrl: 'http://mac', agentToken: 't', healthState: 'unknown', consecutiveFailures: 0 };
  changes: HealthChange[] = [];
  routine: NodeHealthWrite[] = [];
  claims = new Map<string, number>();
  memory = new Map<string, string>();
  fallen: string[] = [];
  probes = 0;
  next: ProbeOutcome = ok;

  nodes = {
    listPollTargets: async () => [this.target],
    recordChanges: async (changes: HealthChange[]) => {
      this.changes.push(...changes);
      return new Set(changes.map((change) => change.nodeId));
    },
    writeRoutine: async (rows: NodeHealthWrite[]) => void this.routine.push(...rows),
  } as unknown as NodeHealthRepository;

  leases = {
    claim: async (ids: string[], epoch: number) => {
      const claimed = new Map<string, string>();
      for (const id of ids) {
        if ((this.claims.get(id) ?? -1) >= epoch) continue;
        this.claims.set(id, epoch);
        claimed.set(id, this.memory.get(id) ?? '');
      }
      return claimed;
    },
    saveMemory: async (entries: Array<[string, string]>) => entries.forEach(([id, memory]) => this.memory.set(id, memory)),
  } as unknown as ProbeLeaseRepository;

  prober = {
    probe: async () => {
      this.probes++;
      return this.next;
    },
    close: () => undefined,
  } as unknown as AgentProber;

  poller(clock: ManualClock, events = new HealthEvents()): HealthPollerService {
    const settings = {
      get: async () => ({ settings: { ...DEFAULT_FLEET_SETTINGS.health, pollIntervalSeconds: 10 }, intervalMs: INTERVAL_MS }),
    };
    const storm = { recordUnreachable: async (ids: string[]) => void this.fallen.push(...ids) } as unknown as StormGuardService;
    const config = {
      ROLES: ['all'],
      HEALTH_POLLER_ENABLED: true,
      HEALTH_PROBE_CONCURRENCY: 8,
      HEALTH_WRITE_EVERY_SECONDS: 60,
    } as unknown as AppConfig;
    const metrics = new HealthMetrics(new MetricsService());
    return new HealthPollerService(
      this.prober,
      this.nodes,
      this.leases,
      settings as HealthSettingsSource,
      events,
      metrics,
      storm,
      clock,
      config,
    );
  }
}

/** Runs one epoch: a tick at its very end (every node is due by then), then waits for the probes. */
async function epoch(poller: HealthPollerService, clock: ManualClock, n: number): Promise<void> {
  clock.set(n * INTERVAL_MS + INTERVAL_MS - 1);
  await poller.tick();
  await poller.drain();
}

describe('HealthPollerService', () => {
  it('goes healthy, then unreachable after 3 misses, then back after 2 good reports; each change recorded and published once', async () => {
    const world = new FakeWorld();
    const clock = new ManualClock(0);
    const events = new HealthEvents();
    const published: NodeHealthChanged[] = [];
    events.subscribe((event) => void published.push(event));
    const poller = world.poller(clock, events);

    await epoch(poller, clock, 1);
    world.next = refused;
    for (const n of [2, 3, 4, 5]) await epoch(poller, clock, n);
    world.next = ok;
    for (const n of [6, 7]) await epoch(poller, clock, n);
    await new Promise((resolve) => setImmediate(resolve));

    expect(world.changes.map((change) => `${change.from}→${change.state}`)).toEqual([
      'unknown→healthy',
      'healthy→unreachable',
      'unreachable→healthy',
    ]);
    expect(world.changes[1]).toMatchObject({ consecutiveFailures: 3, reason: 'missed 3 consecutive probes (last: ECONNREFUSED)' });
    expect(world.changes[2]!.checkedAt.getTime()).toBe(7 * INTERVAL_MS + INTERVAL_MS - 1);
    expect(published.map((event) => event.to)).toEqual(['healthy', 'unreachable', 'healthy']);
    expect(world.fallen).toEqual([NODE]);
    expect(world.probes).toBe(7);
  });

  it('probes a node once per interval however often it ticks', async () => {
    const world = new FakeWorld();
    const clock = new ManualClock(0);
    const poller = world.poller(clock);
    for (let ms = INTERVAL_MS; ms < 4 * INTERVAL_MS; ms += 100) {
      clock.set(ms);
      await poller.tick();
      await poller.drain();
    }
    expect(world.probes).toBe(3);
  });

  it('two pollers sharing the claims probe a node once per interval between them', async () => {
    const world = new FakeWorld();
    const clock = new ManualClock(0);
    const [a, b] = [world.poller(clock), world.poller(clock)];
    for (const n of [1, 2, 3, 4]) {
      clock.set(n * INTERVAL_MS + INTERVAL_MS - 1);
      await Promise.all([a.tick(), b.tick()]);
      await Promise.all([a.drain(), b.drain()]);
    }
    expect(world.probes).toBe(4);
  });

  it('writes an unchanged node at most every HEALTH_WRITE_EVERY_SECONDS, but every miss on the way down', async () => {
    const world = new FakeWorld();
    const clock = new ManualClock(0);
    const poller = world.poller(clock);
    for (let n = 1; n <= 13; n++) await epoch(poller, clock, n); // 130 s of good reports
    expect(world.changes).toHaveLength(1);
    expect(world.routine).toHaveLength(2); // at 60 s and 120 s after the change
    world.next = refused;
    world.routine = [];
    for (const n of [14, 15]) await epoch(poller, clock, n);
    expect(world.routine.map((row) => row.consecutiveFailures)).toEqual([1, 2]);
  });

  it('a backwards clock jump does not stop polling for longer than the claims live', async () => {
    const world = new FakeWorld();
    const clock = new ManualClock(0);
    const poller = world.poller(clock);
    await epoch(poller, clock, 100);
    // The fake claims never expire: the poller itself must not stall, the claim store decides.
    world.claims.clear();
    await epoch(poller, clock, 50);
    expect(world.probes).toBe(2);
  });
});
