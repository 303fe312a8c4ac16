import type { ApiClient } from './api-client.js';

export const SENT_STATUSES = ['sent', 'delivered', 'read'];

export interface SentRecord {
  messageId: string;
  to: string;
  /** When the Mac sent it (ISO-8601). */
  at?: string;
}

export interface ExactlyOnceReport {
  /** Accepted messages whose status is not sent/delivered/read. */
  notSent: { id: string; status: string }[];
  /** Accepted messages the Macs did not send exactly once, with how often they did. */
  notOnce: { id: string; times: number }[];
}

/** Statuses of the given messages, read through the API. */
export async function statusesOf(api: ApiClient, ids: string[]): Promise<Map<string, string>> {
  const views = await Promise.all(ids.map(async (id) => [id, (await api.get(`/v1/messages/${id}`)).body.status as string] as const));
  return new Map(views);
}

export async function allSentPerApi(api: ApiClient, ids: string[]): Promise<boolean> {
  return [...(await statusesOf(api, ids)).values()].every((status) => SENT_STATUSES.includes(status));
}

/**
 * The fault tests' verdict: every accepted message ended sent (none lost) and the Macs'
 * sent history holds each of them exactly once (none doubled).
 */
export async function exactlyOnceReport(api: ApiClient, ids: string[], sentHistory: SentRecord[]): Promise<ExactlyOnceReport> {
  const statuses = await statusesOf(api, ids);
  const times = new Map<string, number>();
  for (const entry of sentHistory) times.set(entry.messageId, (times.get(entry.messageId) ?? 0) + 1);
  return {
    notSent: ids.filter((id) => !SENT_STATUSES.includes(statuses.get(id) ?? '')).map((id) => ({ id, status: statuses.get(id) ?? '?' })),
    notOnce: ids.filter((id) => times.get(id) !== 1).map((id) => ({ id, times: times.get(id) ?? 0 })),
  };
}

/** The order in which one contact's messages left the Macs. */
export function sentOrderTo(contact: string, sentHistory: SentRecord[]): string[] {
  // Histories of several Macs are concatenated per Mac: order by the time each went out.
  return sentHistory
    .filter((entry) => entry.to === contact)
    .sort((a, b) => (a.at ?? '').localeCompare(b.at ?? ''))
    .map((entry) => entry.messageId);
}
