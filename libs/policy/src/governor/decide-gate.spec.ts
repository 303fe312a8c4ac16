import { describe, expect, it } from 'vitest';
import { caseLine, casePolicy, caseRequest, foldHistory, GATE_CASES } from '@bridgefleet/testing/governor-cases.js';
import { decideGate } from './decide-gate.js';

describe('decideGate (the shared case table)', () => {
  it.each(GATE_CASES.map((gateCase) => [gateCase.name, gateCase] as const))('%s', (_, gateCase) => {
    const state = { ...foldHistory(gateCase), line: caseLine(gateCase) };
    const decision = decideGate(state, casePolicy(gateCase), caseRequest(gateCase), new Date(gateCase.now), () => 0.5);
    if ('allow' in gateCase.expected) expect(decision.allow).toBe(true);
    else expect(decision).toEqual({ allow: false, reason: gateCase.expected.reason, waitUntil: new Date(gateCase.expected.waitUntil) });
  });
});

describe('decideGate consumption', () => {
  it('names the day and hour the send counts in and draws the next jitter from the random source', () => {
    const gateCase = GATE_CASES[0]!;
    const decision = decideGate(
      foldHistory(gateCase),
      casePolicy(gateCase),
      caseRequest(gateCase),
      new Date('2026-03-10T12:00:00Z'),
      () => 0.5,
    );
    // gap 20 s, jitter uniform in [0, 10 s): 0.5 → 5 s.
    expect(decision).toEqual({
      allow: true,
      consume: { day: '2026-03-10', hour: 492_540, newContact: false, nextJitterMs: 5_000, nextSendAt: new Date('2026-03-10T12:00:25Z') },
    });
  });
});
