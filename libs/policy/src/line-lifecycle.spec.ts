import { describe, expect, it } from 'vitest';
import {
  ADMIN_ACTIONS,
  ADMIN_STATES,
  adminTransition,
  HEALTH_STATES,
  isAssignable,
  isSendable,
  LineLifecycle,
  LineReputation,
  REPUTATION_ACTIONS,
  REPUTATION_STATES,
  reputationTransition,
  type AdminAction,
  type AdminState,
  type ReputationAction,
  type ReputationState,
} from './line-lifecycle.js';

// The whole table, written out: every (state, action) pair not listed here must be refused.
const ADMIN_ALLOWED: Record<string, AdminState> = {
  'provisioning:activate': 'active',
  'provisioning:retire': 'retired',
  'active:cordon': 'cordoned',
  'active:drain': 'draining',
  'active:retire': 'retired',
  'cordoned:uncordon': 'active',
  'cordoned:drain': 'draining',
  'cordoned:retire': 'retired',
  'draining:retire': 'retired',
};

const REPUTATION_ALLOWED: Record<string, ReputationState> = {
  'warming:promote': 'good',
  'warming:flag': 'flagged',
  'warming:ban': 'banned',
  'good:throttle': 'throttled',
  'good:flag': 'flagged',
  'good:ban': 'banned',
  'throttled:unthrottle': 'good',
  'throttled:flag': 'flagged',
  'throttled:ban': 'banned',
  'throttled:clear': 'good',
  'flagged:ban': 'banned',
  'flagged:clear': 'good',
};

const adminCases = ADMIN_STATES.flatMap((from) => ADMIN_ACTIONS.map((action) => [from, action] as [AdminState, AdminAction]));
const reputationCases = REPUTATION_STATES.flatMap((from) =>
  REPUTATION_ACTIONS.map((action) => [from, action] as [ReputationState, ReputationAction]),
);

describe('admin lifecycle', () => {
  it.each(adminCases)('%s --%s-->', (from, action) => {
    const expected = ADMIN_ALLOWED[`${from}:${action}`];
    const result = adminTransition(from, action);
    expect(result).toEqual(expected ? { ok: true, to: expected } : { ok: false });
    expect(LineLifecycle[action](from)).toEqual(result);
  });

  it('covers 25 pairs of which 9 are allowed', () => {
    expect(adminCases).toHaveLength(25);
    expect(adminCases.filter(([from, action]) => adminTransition(from, action).ok)).toHaveLength(9);
  });

  it('never leaves retired', () => {
    for (const action of ADMIN_ACTIONS) expect(adminTransition('retired', action).ok).toBe(false);
  });
});

describe('reputation lifecycle', () => {
  it.each(reputationCases)('%s --%s-->', (from, action) => {
    const expected = REPUTATION_ALLOWED[`${from}:${action}`];
    const result = reputationTransition(from, action);
    expect(result).toEqual(expected ? { ok: true, to: expected } : { ok: false });
    expect(LineReputation[action](from)).toEqual(result);
  });

  it('covers 30 pairs of which 12 are allowed', () => {
    expect(reputationCases).toHaveLength(30);
    expect(reputationCases.filter(([from, action]) => reputationTransition(from, action).ok)).toHaveLength(12);
  });

  it('cannot clear or otherwise leave a ban', () => {
    for (const action of REPUTATION_ACTIONS) expect(reputationTransition('banned', action).ok).toBe(false);
  });
});

describe('isAssignable', () => {
  const cases = ADMIN_STATES.flatMap((admin) =>
    REPUTATION_STATES.flatMap((reputation) => HEALTH_STATES.map((health) => [admin, reputation, health] as const)),
  );

  it.each(cases)('admin=%s reputation=%s health=%s', (admin, reputation, health) => {
    const expected = admin === 'active' && health === 'healthy' && (reputation === 'warming' || reputation === 'good');
    expect(isAssignable({ admin, reputation }, health)).toBe(expected);
  });

  it('refuses a line with no new-contact headroom left', () => {
    const line = { admin: 'active', reputation: 'good' } as const;
    expect(isAssignable(line, 'healthy', 1)).toBe(true);
    expect(isAssignable(line, 'healthy', 0)).toBe(false);
  });
});

describe('isSendable', () => {
  const cases = ADMIN_STATES.flatMap((admin) =>
    REPUTATION_STATES.flatMap((reputation) => HEALTH_STATES.map((health) => [admin, reputation, health] as const)),
  );

  it.each(cases)('admin=%s reputation=%s health=%s', (admin, reputation, health) => {
    const expected =
      (admin === 'active' || admin === 'cordoned' || admin === 'draining') &&
      (reputation === 'warming' || reputation === 'good' || reputation === 'throttled') &&
      health !== 'unreachable';
    expect(isSendable({ admin, reputation }, health)).toBe(expected);
  });
});
