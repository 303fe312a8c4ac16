import { describe, expect, it } from 'vitest';
import type { RemediationSettings } from '@bridgefleet/contracts/fleet-settings.schema.js';
import { nextLadderAction, type AutomaticRun, type LadderInput } from './escalation-ladder.js';

const T0 = Date.parse('2026-11-26T10:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1_000);
const settings: RemediationSettings = {
  autoRemediation: true,
  ladder: ['restart-agent', 'restart-messages', 'restart-bluebubbles', 'reboot'],
  stepCooldownSeconds: 300,
  maxRunsPerHour: 4,
};
const done = (runbook: string, created: number, finished = created + 10, status: AutomaticRun['status'] = 'succeeded'): AutomaticRun => ({
  runbook,
  status,
  createdAt: at(created),
  finishedAt: status === 'queued' || status === 'running' ? null : at(finished),
});
const base: LadderInput = { health: 'unreachable', settings, episodeStart: at(0), history: [], stormActive: false, now: at(1) };

describe('escalation ladder', () => {
  const cases: Array<[string, Partial<LadderInput>, { action: string; runbook?: string; until?: Date | null; reason?: RegExp }]> = [
    ['first rung at once', {}, { action: 'run', runbook: 'restart-agent' }],
    ['degraded climbs too', { health: 'degraded' }, { action: 'run', runbook: 'restart-agent' }],
    ['healthy stops', { health: 'healthy' }, { action: 'stop', reason: /healthy/ }],
    ['unknown stops', { health: 'unknown' }, { action: 'stop', reason: /unknown/ }],
    ['off switch', { settings: { ...settings, autoRemediation: false } }, { action: 'stop', reason: /off/ }],
    ['storm freezes', { stormActive: true }, { action: 'wait', until: null, reason: /storm/ }],
    [
      'storm freezes mid-ladder',
      { stormActive: true, history: [done('restart-agent', 0)], now: at(9999) },
      { action: 'wait', reason: /storm/ },
    ],
    [
      'one run at a time',
      { history: [done('restart-agent', 0, 0, 'running')], now: at(5000) },
      { action: 'wait', until: null, reason: /running/ },
    ],
    [
      'cooldown after a step, counted from its end',
      { history: [done('restart-agent', 0, 20)], now: at(319) },
      { action: 'wait', until: at(320), reason: /cooldown/ },
    ],
    [
      'next rung after the cooldown',
      { history: [done('restart-agent', 0, 20)], now: at(320) },
      { action: 'run', runbook: 'restart-messages' },
    ],
    [
      'a failed rung still climbs',
      { history: [done('restart-agent', 0, 20, 'failed')], now: at(400) },
      { action: 'run', runbook: 'restart-messages' },
    ],
    [
      'third rung',
      { history: [done('restart-agent', 0), done('restart-messages', 400)], now: at(800) },
      { action: 'run', runbook: 'restart-bluebubbles' },
    ],
    [
      'ladder exhausted',
      {
        history: [done('restart-agent', 0), done('restart-messages', 400), done('restart-bluebubbles', 800), done('reboot', 1200)],
        now: at(5000),
        settings: { ...settings, maxRunsPerHour: 10 },
      },
      { action: 'stop', reason: /exhausted/ },
    ],
    [
      'runs of an earlier episode do not count',
      { episodeStart: at(4000), history: [done('restart-agent', 0), done('restart-messages', 400)], now: at(4001) },
      { action: 'run', runbook: 'restart-agent' },
    ],
    [
      'hourly cap counts earlier episodes too',
      {
        settings: { ...settings, maxRunsPerHour: 2, stepCooldownSeconds: 0 },
        episodeStart: at(1000),
        history: [done('restart-agent', 100), done('restart-agent', 1000)],
        now: at(1100),
      },
      { action: 'wait', until: at(3700), reason: /hourly cap/ },
    ],
    [
      'cap frees once the oldest run leaves the hour',
      {
        settings: { ...settings, maxRunsPerHour: 2, stepCooldownSeconds: 0 },
        episodeStart: at(1000),
        history: [done('restart-agent', 100), done('restart-agent', 1000)],
        now: at(3700),
      },
      { action: 'run', runbook: 'restart-messages' },
    ],
    ['zero cap never runs', { settings: { ...settings, maxRunsPerHour: 0 } }, { action: 'stop', reason: /maxRunsPerHour/ }],
    [
      'cooldown 0 climbs at once',
      { settings: { ...settings, stepCooldownSeconds: 0 }, history: [done('restart-agent', 0, 10)], now: at(10) },
      { action: 'run', runbook: 'restart-messages' },
    ],
  ];

  it.each(cases)('%s', (_, patch, expected) => {
    const decision = nextLadderAction({ ...base, ...patch });
    expect(decision.action).toBe(expected.action);
    if (expected.runbook) expect(decision).toMatchObject({ runbook: expected.runbook });
    if (expected.until !== undefined) expect(decision).toMatchObject({ until: expected.until });
    if (expected.reason) expect('reason' in decision ? decision.reason : '').toMatch(expected.reason);
  });

  it('names the step and the health state in the run reason', () => {
    const decision = nextLadderAction({ ...base, history: [done('restart-agent', 0)], now: at(400), health: 'degraded' });
    expect(decision).toMatchObject({ action: 'run', step: 2, of: 4, reason: 'node is degraded: step 2/4 of the escalation ladder' });
  });
});
