import { describe, expect, it } from 'vitest';
import type { AgentHealthReport } from '@bridgefleet/contracts/agent.schema.js';
import { DEFAULT_FLEET_SETTINGS, type HealthSettings } from '@bridgefleet/contracts/fleet-settings.schema.js';
import type { HealthState } from '../line-lifecycle.js';
import {
  initialHealthMemory,
  isHealthSendable,
  nextHealth,
  type HealthObservation,
  type NodeHealthMemory,
} from './health-state-machine.js';

const settings: HealthSettings = {
  ...DEFAULT_FLEET_SETTINGS.health,
  pollIntervalSeconds: 10,
  missesToUnreachable: 3,
  goodToRecover: 2,
  stuckAfterSeconds: 60,
};
const T0 = Date.parse('2026-11-25T12:00:00Z');

function report(overrides: Partial<AgentHealthReport> = {}): HealthObservation {
  return {
    kind: 'report',
    report: {
      bridgeId: 'mac-1',
      status: 'healthy',
      messagesAppRunning: true,
      lastMessageSentAt: '2026-11-25T11:00:00Z',
      pendingCommands: 0,
      uptime: 100,
      driver: 'sim',
      version: '1',
      signals: {},
      ...overrides,
    },
  };
}
const good = report();
const miss: HealthObservation = { kind: 'miss', error: 'timeout' };

/** Feeds observations `stepSeconds` apart and returns the state after each. */
function run(
  start: NodeHealthMemory,
  observations: HealthObservation[],
  stepSeconds = 10,
): { states: HealthState[]; memory: NodeHealthMemory } {
  let memory = start;
  const states: HealthState[] = [];
  observations.forEach((observation, index) => {
    memory = nextHealth(memory, observation, settings, new Date(T0 + index * stepSeconds * 1_000)).memory;
    states.push(memory.state);
  });
  return { states, memory };
}

describe('nextHealth', () => {
  it.each<[string, HealthState, HealthObservation[], HealthState[]]>([
    ['unknown is healthy on its first good report', 'unknown', [good], ['healthy']],
    ['misses below the threshold change nothing', 'healthy', [miss, miss, good, miss], ['healthy', 'healthy', 'healthy', 'healthy']],
    ['N consecutive misses make it unreachable', 'healthy', [miss, miss, miss], ['healthy', 'healthy', 'unreachable']],
    ['unknown goes unreachable after N misses', 'unknown', [miss, miss, miss], ['unknown', 'unknown', 'unreachable']],
    ['M good reports bring it back', 'unreachable', [good, good], ['unreachable', 'healthy']],
    [
      'a miss between good reports restarts the count',
      'unreachable',
      [good, miss, good, good],
      ['unreachable', 'unreachable', 'unreachable', 'healthy'],
    ],
    ['a degraded report degrades at once', 'healthy', [report({ messagesAppRunning: false })], ['degraded']],
    ['degraded needs M good reports', 'degraded', [good, good], ['degraded', 'healthy']],
    ['an unreachable node that answers badly is degraded', 'unreachable', [report({ status: 'unhealthy' })], ['degraded']],
    [
      'flapping (miss, miss, good) never goes down',
      'healthy',
      [miss, miss, good, miss, miss, good, miss, miss, good],
      ['healthy', 'healthy', 'healthy', 'healthy', 'healthy', 'healthy', 'healthy', 'healthy', 'healthy'],
    ],
    [
      'flapping between bad and good reports stays degraded',
      'healthy',
      [report({ status: 'unhealthy' }), good, report({ status: 'unhealthy' }), good, good],
      ['degraded', 'degraded', 'degraded', 'degraded', 'healthy'],
    ],
  ])('%s', (_name, from, observations, expected) => {
    expect(run(initialHealthMemory(from), observations).states).toEqual(expected);
  });

  it.each<[string, Partial<AgentHealthReport>]>([
    ['helper disconnected', { signals: { helperConnected: false } }],
    ['signed out of iMessage', { signals: { imessageSignedIn: false } }],
    ['signed out of iCloud', { signals: { icloudSignedIn: false } }],
    ['no disk access', { signals: { diskAccess: false } }],
    ['bridge down', { signals: { bridgeReachable: false } }],
  ])('driver signal %s degrades', (_name, overrides) => {
    const result = nextHealth(initialHealthMemory('healthy'), report(overrides), settings, new Date(T0));
    expect(result).toMatchObject({ state: 'degraded', changed: true });
  });

  it('says why and whether the state changed', () => {
    const first = nextHealth(initialHealthMemory('healthy', 2), miss, settings, new Date(T0));
    expect(first).toMatchObject({ state: 'unreachable', changed: true, reason: 'missed 3 consecutive probes (last: timeout)' });
    const again = nextHealth(first.memory, miss, settings, new Date(T0 + 10_000));
    expect(again).toMatchObject({ state: 'unreachable', changed: false });
    expect(again.memory.consecutiveFailures).toBe(4);
  });

  describe('stuck detection', () => {
    const pending = report({ pendingCommands: 2 });

    it('degrades after stuckAfterSeconds of pending work with nothing sent', () => {
      // 0, 10, …, 60 s: stalled for 60 s on the 7th report.
      const { states } = run(initialHealthMemory('healthy'), Array(7).fill(pending));
      expect(states).toEqual(['healthy', 'healthy', 'healthy', 'healthy', 'healthy', 'healthy', 'degraded']);
    });

    it('a new send resets the stall, whatever time the Mac says it is', () => {
      const sentEarlier = report({ pendingCommands: 2, lastMessageSentAt: '2020-01-01T00:00:00Z' });
      const { states } = run(initialHealthMemory('healthy'), [...Array(6).fill(pending), sentEarlier, pending]);
      expect(states.at(-1)).toBe('healthy');
    });

    it('no pending work is never stuck, however old the last send', () => {
      const { states } = run(initialHealthMemory('healthy'), Array(20).fill(report({ lastMessageSentAt: '2000-01-01T00:00:00Z' })));
      expect(new Set(states)).toEqual(new Set(['healthy']));
    });

    it('a forward clock jump adds at most two intervals', () => {
      let memory = nextHealth(initialHealthMemory('healthy'), pending, settings, new Date(T0)).memory;
      memory = nextHealth(memory, pending, settings, new Date(T0 + 3_600_000)).memory;
      expect(memory).toMatchObject({ state: 'healthy', stalledMs: 20_000 });
    });

    it('a backwards clock jump adds nothing and keeps the stall counted so far', () => {
      let memory = nextHealth(initialHealthMemory('healthy'), pending, settings, new Date(T0)).memory;
      memory = nextHealth(memory, pending, settings, new Date(T0 + 20_000)).memory;
      memory = nextHealth(memory, pending, settings, new Date(T0 - 3_600_000)).memory;
      expect(memory).toMatchObject({ state: 'healthy', stalledMs: 20_000 });
      // Time keeps counting from the new (earlier) clock.
      memory = nextHealth(memory, pending, settings, new Date(T0 - 3_600_000 + 20_000)).memory;
      memory = nextHealth(memory, pending, settings, new Date(T0 - 3_600_000 + 40_000)).memory;
      expect(memory.state).toBe('degraded');
    });

    it('misses do not count as stalled time but do not clear the stall either', () => {
      const { memory } = run(initialHealthMemory('healthy'), [pending, pending, miss, miss, pending]);
      // 0 → 10 s stalled; the next report comes 30 s later, clamped to 2 intervals.
      expect(memory.stalledMs).toBe(30_000);
    });
  });

  it('only unreachable stops sending', () => {
    expect(['healthy', 'degraded', 'unknown', 'unreachable'].map((s) => isHealthSendable(s as HealthState))).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });
});
