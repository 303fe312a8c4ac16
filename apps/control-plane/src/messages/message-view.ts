import type { MessageView } from '@bridgefleet/contracts/messages.schema.js';
import type { MessageRepository } from './message.repository.js';

type MessageRow = Awaited<ReturnType<MessageRepository['list']>>[number];
type HistoryRow = { status: MessageView['status']; at: Date; detail: string | null };

export function toMessageSummary(row: MessageRow): Omit<MessageView, 'history'> {
  return {
    id: row.id,
    direction: row.direction,
    to: row.contactHandle,
    lineId: row.lineId,
    status: row.status,
    body: row.body,
    attachments: (row.attachments as MessageView['attachments']) ?? [],
    metadata: (row.metadata as MessageView['metadata']) ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    validUntil: row.validUntil?.toISOString() ?? null,
    attempts: row.attempts,
    error: row.error,
  };
}

export function toMessageView(row: MessageRow & { history: HistoryRow[] }): MessageView {
  return {
    ...toMessageSummary(row),
    history: row.history.map((entry) => ({
      status: entry.status,
      at: entry.at.toISOString(),
      ...(entry.detail ? { detail: entry.detail } : {}),
    })),
  };
}
