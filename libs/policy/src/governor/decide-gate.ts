import type { GateReason, GateRequest, GovernorDecision, GovernorPolicy, LineGateState } from './gate-types.js';
import { planGate } from './gate-plan.js';
import { loopGuardReleaseAt } from './loop-guard.js';
import { drawJitterMs, pacingReadyAt } from './pacing.js';
import { HOUR_MS, ratioReleaseAt } from './ratio.js';
import { assessResponseRate } from './response-rate.js';
import { rollingWindowReleaseAt } from './rolling-window.js';

/**
 * May this message go out now? The rules run in a fixed order, line-wide holds first,
 * and the first that fails names the reason and when to ask again. The same order and
 * arithmetic run atomically in apps/control-plane/src/governor/lua/gate-and-consume.lua;
 * test/governor-lua.e2e-spec.ts checks both agree.
 */
export function decideGate(
  state: LineGateState,
  policy: GovernorPolicy,
  request: GateRequest,
  now: Date,
  random: () => number = Math.random,
): GovernorDecision {
  const { limits, tuning } = policy;
  const plan = planGate(state.line.warmupStartedAt, policy, now);
  const t = now.getTime();
  const wait = (reason: GateReason, until: Date | number): GovernorDecision => ({ allow: false, reason, waitUntil: new Date(until) });

  if (!state.line.sendable) return wait('line_not_sendable', t + tuning.recheckMs);
  if (state.today.sent >= plan.caps.dailyCap) return wait('daily_cap', plan.window.end);
  const paceAt = pacingReadyAt(state.pacing.lastSentAt, plan.gapMs, state.pacing.jitterMs);
  if (paceAt !== null && paceAt.getTime() > t) return wait('pacing', paceAt);

  const loopAt = loopGuardReleaseAt(state.pair.sends, tuning, now);
  if (loopAt !== null) return wait('loop_guard', loopAt);
  // The registry's count and the line's own count can lag each other; trust the larger.
  if (Math.max(request.unanswered, state.pair.unanswered) >= limits.maxUnanswered) return wait('unanswered', t + tuning.recheckMs);

  if (request.newContact) {
    if (state.line.reputation === 'throttled' || assessResponseRate(state.firstContacts, tuning).throttle) {
      return wait('throttled', t + tuning.recheckMs);
    }
    if (state.today.newContacts >= plan.caps.dailyNewContacts) return wait('new_contact_daily_cap', plan.window.end);
    const hourAt = rollingWindowReleaseAt(state.newContactSends, plan.caps.hourlyNewContacts, HOUR_MS, now);
    if (hourAt !== null) return wait('new_contact_hourly_cap', hourAt);
  }
  if (!request.contactWroteRecently) {
    const ratioAt = ratioReleaseAt(state.hourBuckets, limits, now, tuning.recheckMs);
    if (ratioAt !== null) return wait('ratio', ratioAt);
  }

  const nextJitterMs = drawJitterMs(plan.gapMs, tuning.pacingJitterFraction, random);
  return {
    allow: true,
    consume: {
      day: plan.window.day,
      hour: plan.hour,
      newContact: request.newContact,
      nextJitterMs,
      nextSendAt: new Date(t + plan.gapMs + nextJitterMs),
    },
  };
}
