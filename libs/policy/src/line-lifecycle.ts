/**
 * A line's two hand-steerable conditions, as pure state machines (DESIGN.md "Line lifecycle").
 * Health is the third condition; it comes from the node's agent and is not steered here.
 */
export const ADMIN_STATES = ['provisioning', 'active', 'cordoned', 'draining', 'retired'] as const;
export type AdminState = (typeof ADMIN_STATES)[number];

export const ADMIN_ACTIONS = ['activate', 'cordon', 'uncordon', 'drain', 'retire'] as const;
export type AdminAction = (typeof ADMIN_ACTIONS)[number];

export const REPUTATION_STATES = ['warming', 'good', 'throttled', 'flagged', 'banned'] as const;
export type ReputationState = (typeof REPUTATION_STATES)[number];

/** flag, ban and clear are taken by hand (with a reason); promote, throttle and unthrottle by the governor. */
export const REPUTATION_ACTIONS = ['promote', 'throttle', 'unthrottle', 'flag', 'ban', 'clear'] as const;
export type ReputationAction = (typeof REPUTATION_ACTIONS)[number];

export const HEALTH_STATES = ['healthy', 'degraded', 'unreachable', 'unknown'] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export type Transition<S> = { ok: true; to: S } | { ok: false };

interface Rule<S> {
  from: readonly S[];
  to: S;
}

const ADMIN_RULES: Record<AdminAction, Rule<AdminState>> = {
  activate: { from: ['provisioning'], to: 'active' },
  // Cordon stops new contacts; cordoning a line that is already leaving makes no sense.
  cordon: { from: ['active'], to: 'cordoned' },
  uncordon: { from: ['cordoned'], to: 'active' },
  drain: { from: ['active', 'cordoned'], to: 'draining' },
  // Retiring is always possible (a ban, a lost iPhone), and final.
  retire: { from: ['provisioning', 'active', 'cordoned', 'draining'], to: 'retired' },
};

const REPUTATION_RULES: Record<ReputationAction, Rule<ReputationState>> = {
  promote: { from: ['warming'], to: 'good' },
  throttle: { from: ['good'], to: 'throttled' },
  unthrottle: { from: ['throttled'], to: 'good' },
  flag: { from: ['warming', 'good', 'throttled'], to: 'flagged' },
  // A ban is final: Apple does not give a banned Apple ID back, so the line is retired.
  ban: { from: ['warming', 'good', 'throttled', 'flagged'], to: 'banned' },
  clear: { from: ['throttled', 'flagged'], to: 'good' },
};

function apply<S, A extends string>(rules: Record<A, Rule<S>>, from: S, action: A): Transition<S> {
  const rule = rules[action];
  return rule && rule.from.includes(from) ? { ok: true, to: rule.to } : { ok: false };
}

export function adminTransition(from: AdminState, action: AdminAction): Transition<AdminState> {
  return apply(ADMIN_RULES, from, action);
}

export function reputationTransition(from: ReputationState, action: ReputationAction): Transition<ReputationState> {
  return apply(REPUTATION_RULES, from, action);
}

/** Named actions, so callers read `LineLifecycle.cordon(line.admin)`. */
export const LineLifecycle = {
  activate: (from: AdminState) => adminTransition(from, 'activate'),
  cordon: (from: AdminState) => adminTransition(from, 'cordon'),
  uncordon: (from: AdminState) => adminTransition(from, 'uncordon'),
  drain: (from: AdminState) => adminTransition(from, 'drain'),
  retire: (from: AdminState) => adminTransition(from, 'retire'),
};

export const LineReputation = {
  promote: (from: ReputationState) => reputationTransition(from, 'promote'),
  throttle: (from: ReputationState) => reputationTransition(from, 'throttle'),
  unthrottle: (from: ReputationState) => reputationTransition(from, 'unthrottle'),
  flag: (from: ReputationState) => reputationTransition(from, 'flag'),
  ban: (from: ReputationState) => reputationTransition(from, 'ban'),
  clear: (from: ReputationState) => reputationTransition(from, 'clear'),
};

export interface LineConditions {
  admin: AdminState;
  reputation: ReputationState;
}

/**
 * May get new contacts: active ∧ healthy ∧ reputation ∈ {warming, good} ∧ new-contact headroom left.
 * Headroom is the governor's business; callers that know it pass it.
 */
export function isAssignable(line: LineConditions, nodeHealth: HealthState, newContactHeadroom = Number.POSITIVE_INFINITY): boolean {
  return (
    line.admin === 'active' &&
    nodeHealth === 'healthy' &&
    (line.reputation === 'warming' || line.reputation === 'good') &&
    newContactHeadroom > 0
  );
}

/**
 * May send to the contacts it already has: not retired ∧ not flagged/banned ∧ not unreachable.
 * A provisioning line is not set up yet (no signed-in Apple ID), so it does not send either.
 * Degraded and unknown still send: an unreachable node pauses, anything less is a warning.
 */
export function isSendable(line: LineConditions, nodeHealth: HealthState): boolean {
  return (
    line.admin !== 'retired' &&
    line.admin !== 'provisioning' &&
    line.reputation !== 'flagged' &&
    line.reputation !== 'banned' &&
    nodeHealth !== 'unreachable'
  );
}
