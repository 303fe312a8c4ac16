import { z } from 'zod';
import { PageQuery, Uuid } from './common.schema.js';
import { Scope } from './keys.schema.js';

/** Who the dashboard is signed in as: enough to show or hide actions. */
export const DashboardSession = z.object({ keyName: z.string(), scopes: z.array(Scope) });

const Counts = z.record(z.string(), z.number().int());

/** Fleet totals for the dashboard header, counted in PostgreSQL (bounded by state names). */
export const FleetSummary = z.object({
  lines: z.object({ total: z.number().int(), admin: Counts, reputation: Counts, health: Counts }),
  nodes: z.object({ total: z.number().int(), health: Counts }),
  messages: z.object({
    /** Outbound messages not yet handed to a Mac (queued or assigned). */
    waiting: z.number().int(),
    /** Handed to a Mac, outcome not known yet. */
    sending: z.number().int(),
  }),
  /** Waiting messages per line, only for lines with any (at most one entry per line). */
  waitingByLine: Counts,
});
export type FleetSummary = z.infer<typeof FleetSummary>;

export const UsageHistoryQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(90).default(7) });
export type UsageHistoryQuery = z.infer<typeof UsageHistoryQuery>;

/** Persisted governor days (line_daily_usage), oldest first; today lives in the line view. */
export const UsageHistory = z.object({
  lineId: Uuid,
  days: z.array(z.object({ day: z.string(), sent: z.number().int(), newContacts: z.number().int(), inbound: z.number().int() })),
});

export const LineContactsQuery = PageQuery;
export type LineContactsQuery = z.infer<typeof LineContactsQuery>;

export const HealthHistoryQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });
export type HealthHistoryQuery = z.infer<typeof HealthHistoryQuery>;

export const HealthHistory = z.object({
  nodeId: Uuid,
  /** Newest first: each health state change with its reason (from the audit log). */
  items: z.array(z.object({ at: z.string(), from: z.string().nullable(), to: z.string().nullable(), reason: z.string().nullable() })),
});
