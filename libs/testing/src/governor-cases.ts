import { DEFAULT_LIMITS, type Limits } from '@bridgefleet/contracts/limits.schema.js';
import { dayWindow } from '@bridgefleet/policy/governor/day-window.js';
import type { GateReason, GateRequest, GovernorPolicy, HourBucket, LineGateState } from '@bridgefleet/policy/governor/gate-types.js';
import { DEFAULT_GOVERNOR_TUNING, type GovernorTuning } from '@bridgefleet/policy/governor/governor-tuning.js';
import { hourOf } from '@bridgefleet/policy/governor/ratio.js';
import type { ReputationState } from '@bridgefleet/policy/line-lifecycle.js';

/**
 * One table of governor cases, run through the pure decideGate (unit) and the Lua script on
 * a real Redis (test/governor-lua.e2e-spec.ts). History events build the counters: in Redis
 * by really sending and receiving, here by folding them the way the scripts store them.
 */
export type GateEvent = { at: string; send: string; newContact?: boolean; jitterMs?: number } | { at: string; inbound: string };

export interface GateCase {
  name: string;
  now: string;
  limits?: Partial<Limits>;
  tuning?: Partial<GovernorTuning>;
  line?: { sendable?: boolean; reputation?: ReputationState; warmupStartedAt?: string };
  history?: GateEvent[];
  request?: Partial<GateRequest>;
  expected: { allow: true } | { reason: GateReason; waitUntil: string };
}

export const CASE_ZONE = 'America/New_York';
export const CASE_RESET = '03:00';
// 2026-03-10 08:00 EDT; the governor day 2026-03-10 runs 07:00Z → 2026-03-11T07:00Z.
const NOW = '2026-03-10T12:00:00.000Z';
const DAY_END = '2026-03-11T07:00:00.000Z';

export const CASE_LIMITS: Limits = {
  ...DEFAULT_LIMITS,
  dailyCap: 5,
  dailyNewContacts: 3,
  hourlyNewContacts: 2,
  maxRatio: 2,
  ratioWindowHours: 24,
  ratioMinSample: 4,
  minGapSeconds: 20,
  maxUnanswered: 3,
  warmupDays: 0,
};
export const CASE_TUNING: GovernorTuning = { ...DEFAULT_GOVERNOR_TUNING, responseRateMinSample: 3, loopMaxSends: 4 };

/** `count` sends to distinct contacts c0, c1… every `stepMs` from `from`. */
export function sends(count: number, from: string, stepMs = 60_000, extra: { newContact?: boolean } = {}): GateEvent[] {
  return Array.from({ length: count }, (_, i) => ({ at: new Date(Date.parse(from) + i * stepMs).toISOString(), send: `c${i}`, ...extra }));
}

/** Keeps the send:receive ratio out of cases about other rules. */
const NO_RATIO: Partial<Limits> = { ratioMinSample: 1000 };

const at = (iso: string, deltaMs: number) => new Date(Date.parse(iso) + deltaMs).toISOString();
const recheck = (now: string) => at(now, CASE_TUNING.recheckMs);

export const GATE_CASES: GateCase[] = [
  { name: 'a fresh line sends', now: NOW, expected: { allow: true } },
  {
    name: 'an unsendable line waits for a re-check',
    now: NOW,
    line: { sendable: false },
    expected: { reason: 'line_not_sendable', waitUntil: recheck(NOW) },
  },
  { name: 'daily cap: one below', now: NOW, limits: NO_RATIO, history: sends(4, '2026-03-10T10:00:00Z'), expected: { allow: true } },
  {
    name: 'daily cap: exactly at the cap waits for the next governor day (03:00 New York)',
    now: NOW,
    limits: NO_RATIO,
    history: sends(5, '2026-03-10T10:00:00Z'),
    expected: { reason: 'daily_cap', waitUntil: DAY_END },
  },
  {
    name: 'day rollover: one second before the 03:00 EDT reset the old day is still full',
    now: '2026-03-10T06:59:59.000Z',
    limits: NO_RATIO,
    history: sends(5, '2026-03-10T06:00:00Z'),
    expected: { reason: 'daily_cap', waitUntil: '2026-03-10T07:00:00.000Z' },
  },
  {
    name: 'day rollover: at the reset the count starts afresh',
    now: '2026-03-10T07:00:00.000Z',
    limits: NO_RATIO,
    history: sends(5, '2026-03-10T06:00:00Z'),
    expected: { allow: true },
  },
  {
    name: 'DST: the governor day holding the spring-forward jump ends after 23 hours',
    now: '2026-03-08T06:30:00.000Z',
    limits: NO_RATIO,
    history: sends(5, '2026-03-08T05:00:00Z'),
    expected: { reason: 'daily_cap', waitUntil: '2026-03-08T07:00:00.000Z' },
  },
  {
    name: 'pacing: 10 s after a send waits for gap + stored jitter',
    now: NOW,
    history: [{ at: at(NOW, -10_000), send: 'a', jitterMs: 5_000 }],
    expected: { reason: 'pacing', waitUntil: at(NOW, 15_000) },
  },
  {
    name: 'pacing: exactly at gap + jitter sends',
    now: NOW,
    history: [{ at: at(NOW, -25_000), send: 'a', jitterMs: 5_000 }],
    expected: { allow: true },
  },
  {
    name: 'unanswered: 3 messages without a reply hold the contact',
    now: NOW,
    history: [
      { at: '2026-03-10T09:00:00Z', send: 'x' },
      { at: '2026-03-10T09:10:00Z', send: 'x' },
      { at: '2026-03-10T09:20:00Z', send: 'x' },
    ],
    request: { contact: 'x' },
    expected: { reason: 'unanswered', waitUntil: recheck(NOW) },
  },
  {
    name: 'unanswered: a reply resets the count',
    now: NOW,
    history: [
      { at: '2026-03-10T09:00:00Z', send: 'x' },
      { at: '2026-03-10T09:10:00Z', send: 'x' },
      { at: '2026-03-10T09:20:00Z', send: 'x' },
      { at: '2026-03-10T09:30:00Z', inbound: 'x' },
    ],
    request: { contact: 'x', contactWroteRecently: true },
    expected: { allow: true },
  },
  {
    name: "unanswered: the registry's count alone holds too",
    now: NOW,
    request: { unanswered: 3 },
    expected: { reason: 'unanswered', waitUntil: recheck(NOW) },
  },
  {
    name: 'loop guard: a 4th send to one contact within 10 minutes waits for the oldest to age out',
    now: NOW,
    history: [0, 1, 2, 3].flatMap((i) => [
      { at: at(NOW, -540_000 + i * 120_000), send: 'bot' },
      { at: at(NOW, -540_000 + i * 120_000 + 30_000), inbound: 'bot' },
    ]),
    request: { contact: 'bot', contactWroteRecently: true },
    expected: { reason: 'loop_guard', waitUntil: at(NOW, 60_000) },
  },
  {
    name: 'loop guard: 3 sends in the window still pass',
    now: NOW,
    history: [1, 2, 3].flatMap((i) => [
      { at: at(NOW, -540_000 + i * 120_000), send: 'bot' },
      { at: at(NOW, -540_000 + i * 120_000 + 30_000), inbound: 'bot' },
    ]),
    request: { contact: 'bot', contactWroteRecently: true },
    expected: { allow: true },
  },
  {
    name: 'throttled reputation: no new contacts',
    now: NOW,
    line: { reputation: 'throttled' },
    request: { newContact: true },
    expected: { reason: 'throttled', waitUntil: recheck(NOW) },
  },
  {
    name: 'throttled reputation: existing contacts are still served',
    now: NOW,
    line: { reputation: 'throttled' },
    expected: { allow: true },
  },
  {
    name: 'response rate: 3 first contacts, none answered → throttled',
    now: NOW,
    history: sends(3, '2026-03-09T08:00:00Z', 3_600_000, { newContact: true }),
    request: { newContact: true },
    expected: { reason: 'throttled', waitUntil: recheck(NOW) },
  },
  {
    name: 'response rate: one of 3 answered is above 15%',
    now: NOW,
    history: [...sends(3, '2026-03-09T08:00:00Z', 3_600_000, { newContact: true }), { at: '2026-03-09T20:00:00Z', inbound: 'c1' }],
    request: { newContact: true },
    expected: { allow: true },
  },
  {
    name: 'response rate: under the minimum sample nothing is judged',
    now: NOW,
    history: sends(2, '2026-03-09T08:00:00Z', 3_600_000, { newContact: true }),
    request: { newContact: true },
    expected: { allow: true },
  },
  {
    name: 'new-contact daily cap: exactly at the cap',
    now: NOW,
    tuning: { responseRateMinSample: 100 },
    history: sends(3, '2026-03-10T08:00:00Z', 70 * 60_000, { newContact: true }),
    request: { newContact: true },
    expected: { reason: 'new_contact_daily_cap', waitUntil: DAY_END },
  },
  {
    name: 'new-contact hourly cap: 2 in the last hour wait for the oldest + 1 h',
    now: NOW,
    history: sends(2, '2026-03-10T11:30:00Z', 15 * 60_000, { newContact: true }),
    request: { newContact: true },
    expected: { reason: 'new_contact_hourly_cap', waitUntil: '2026-03-10T12:30:00.000Z' },
  },
  {
    name: 'new-contact hourly cap: a send exactly one hour ago has left the window',
    now: NOW,
    history: [
      { at: '2026-03-10T11:00:00Z', send: 'c0', newContact: true },
      { at: '2026-03-10T11:45:00Z', send: 'c1', newContact: true },
    ],
    request: { newContact: true },
    expected: { allow: true },
  },
  {
    name: 'ratio: under the minimum sample it does not apply',
    now: NOW,
    history: sends(3, '2026-03-10T08:00:00Z'),
    expected: { allow: true },
  },
  {
    name: 'ratio: over it, a cold message waits for old buckets to leave the window',
    now: NOW,
    history: [...sends(4, '2026-03-10T08:00:00Z', 3_600_000), { at: '2026-03-10T09:30:00Z', inbound: 'c1' }],
    // A 24 h window is the current hour bucket and the 23 before it: the 08:00 bucket leaves
    // at 08:00 next day, and then 3 sent is under the sample of 4.
    expected: { reason: 'ratio', waitUntil: '2026-03-11T08:00:00.000Z' },
  },
  {
    name: 'ratio: a reply to a contact who wrote in the last 24 h is exempt',
    now: NOW,
    history: [...sends(4, '2026-03-10T08:00:00Z', 3_600_000), { at: '2026-03-10T09:30:00Z', inbound: 'c1' }],
    request: { contact: 'c1', contactWroteRecently: true },
    expected: { allow: true },
  },
  {
    name: 'ratio: exactly at 2:1 after this send passes',
    now: NOW,
    history: [
      ...sends(4, '2026-03-10T08:00:00Z', 3_600_000),
      ...['c0', 'c1', 'c2'].map((c, i) => ({ at: `2026-03-10T11:0${i}:00Z`, inbound: c })),
    ],
    expected: { allow: true },
  },
  {
    name: 'warm-up day 0: 10% of a 20 cap is 2',
    now: NOW,
    limits: { dailyCap: 20, warmupDays: 10 },
    line: { warmupStartedAt: '2026-03-10T08:00:00Z' },
    history: sends(2, '2026-03-10T09:00:00Z'),
    expected: { reason: 'daily_cap', waitUntil: DAY_END },
  },
  {
    name: 'warm-up day 5 of 10: 55% of 20 is 11, one below',
    now: NOW,
    limits: { dailyCap: 20, warmupDays: 10, ...NO_RATIO },
    line: { warmupStartedAt: '2026-03-05T08:00:00Z' },
    history: sends(10, '2026-03-10T09:00:00Z'),
    expected: { allow: true },
  },
  {
    name: 'warm-up day 5 of 10: at 11',
    now: NOW,
    limits: { dailyCap: 20, warmupDays: 10, ...NO_RATIO },
    line: { warmupStartedAt: '2026-03-05T08:00:00Z' },
    history: sends(11, '2026-03-10T09:00:00Z'),
    expected: { reason: 'daily_cap', waitUntil: DAY_END },
  },
  {
    name: 'warm-up done on day 10: the full cap',
    now: NOW,
    limits: { dailyCap: 20, warmupDays: 10, ...NO_RATIO },
    line: { warmupStartedAt: '2026-02-28T08:00:00Z' },
    history: sends(19, '2026-03-10T09:00:00Z'),
    expected: { allow: true },
  },
];

export function casePolicy(gateCase: GateCase): GovernorPolicy {
  return {
    limits: { ...CASE_LIMITS, ...gateCase.limits },
    timeZone: CASE_ZONE,
    dayResetTime: CASE_RESET,
    tuning: { ...CASE_TUNING, ...gateCase.tuning },
  };
}

export function caseRequest(gateCase: GateCase): GateRequest {
  return { contact: 'someone', newContact: false, contactWroteRecently: false, unanswered: 0, ...gateCase.request };
}

export function caseLine(gateCase: GateCase) {
  return {
    sendable: gateCase.line?.sendable ?? true,
    reputation: gateCase.line?.reputation ?? ('good' as ReputationState),
    warmupStartedAt: new Date(gateCase.line?.warmupStartedAt ?? '2025-01-01T00:00:00Z'),
  };
}

/** The counters the Redis scripts hold after `history`, as decideGate reads them. */
export function foldHistory(gateCase: GateCase): LineGateState {
  const policy = casePolicy(gateCase);
  const request = caseRequest(gateCase);
  const now = Date.parse(gateCase.now);
  const today = dayWindow(new Date(now), policy.timeZone, policy.dayResetTime).day;
  const dayOf = (iso: string) => dayWindow(new Date(iso), policy.timeZone, policy.dayResetTime).day;
  const state: LineGateState = {
    line: caseLine(gateCase),
    today: { sent: 0, newContacts: 0, inbound: 0 },
    newContactSends: [],
    hourBuckets: [],
    firstContacts: { sent: 0, responded: 0 },
    pacing: { lastSentAt: null, jitterMs: 0 },
    pair: { sends: [], unanswered: 0 },
  };
  const buckets = new Map<number, HourBucket>();
  const bucket = (iso: string) => {
    const hour = hourOf(new Date(iso));
    const found = buckets.get(hour) ?? { hour, sent: 0, inbound: 0 };
    buckets.set(hour, found);
    return found;
  };
  const firsts = new Map<string, { at: number; responded: boolean }>();
  for (const event of gateCase.history ?? []) {
    const time = Date.parse(event.at);
    if ('send' in event) {
      if (dayOf(event.at) === today) state.today.sent += 1;
      bucket(event.at).sent += 1;
      state.pacing = { lastSentAt: new Date(time), jitterMs: event.jitterMs ?? 0 };
      if (event.newContact) {
        if (dayOf(event.at) === today) state.today.newContacts += 1;
        state.newContactSends.push(new Date(time));
        firsts.set(event.send, { at: time, responded: false });
      }
      if (event.send === request.contact) {
        state.pair.sends.push(new Date(time));
        state.pair.unanswered += 1;
      }
    } else {
      if (dayOf(event.at) === today) state.today.inbound += 1;
      bucket(event.at).inbound += 1;
      const first = firsts.get(event.inbound);
      if (first && first.at > time - policy.tuning.responseRateWindowMs) first.responded = true;
      if (event.inbound === request.contact) state.pair.unanswered = 0;
    }
  }
  state.hourBuckets = [...buckets.values()];
  const recent = [...firsts.values()].filter((first) => first.at > now - policy.tuning.responseRateWindowMs);
  state.firstContacts = { sent: recent.length, responded: recent.filter((first) => first.responded).length };
  return state;
}
