/** The API shapes the dashboard reads (see docs/openapi.json); only the fields it shows. */

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface LineUsage {
  day: string;
  sent: number;
  cap: number;
  newContacts: number;
  newContactCap: number;
  inbound: number;
  ratio: number | null;
  remaining: number;
}

export interface Line {
  id: string;
  phoneNumber: string;
  appleId: string;
  nodeId: string;
  admin: string;
  reputation: string;
  reputationReason: string | null;
  health: string;
  assignable: boolean;
  sendable: boolean;
  effectiveLimits: { dailyCap: number; dailyNewContacts: number; maxRatio: number; ratioMinSample: number };
  usage: LineUsage;
  contacts: number;
  createdAt: string;
}

export interface NodeHealth {
  state: string;
  lastReport: unknown;
  lastCheckedAt: string | null;
  consecutiveFailures: number;
  changedAt: string | null;
}

export interface FleetNode {
  id: string;
  name: string;
  agentUrl: string;
  ssh: { host: string; port: number; user: string } | null;
  labels: Record<string, string>;
  health: NodeHealth;
}

export interface Summary {
  lines: { total: number; admin: Record<string, number>; reputation: Record<string, number>; health: Record<string, number> };
  nodes: { total: number; health: Record<string, number> };
  messages: { waiting: number; sending: number };
  waitingByLine: Record<string, number>;
}

export interface Session {
  keyName: string;
  scopes: string[];
}

export interface Message {
  id: string;
  direction: string;
  status: string;
  to?: string;
  from?: string;
  contact?: string;
  lineId: string | null;
  error?: string | null;
  createdAt: string;
}

export interface Run {
  id: string;
  nodeId: string;
  runbook: string;
  status: string;
  reason?: string;
  exitCode: number | null;
  output: string;
  requestedBy: string;
  createdAt?: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Runbook {
  name: string;
  description: string;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  reason: string | null;
  result: string;
}

export interface Contact {
  handle: string;
  assignedAt: string | null;
  lastInboundAt: string | null;
  lastOutboundAt: string | null;
}
