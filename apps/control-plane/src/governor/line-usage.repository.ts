import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import type { DayCounters } from './governor.repository.js';

/** Postgres keeps each line's daily history; Redis holds the hot counters. */
@Injectable()
export class LineUsageRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Writes a day's counters as read from Redis. Idempotent (absolute values, not
   * increments) so any process may flush at any time. GREATEST keeps the history when
   * Redis lost a day's keys (a restart without persistence) and reports less than before.
   */
  async upsertDay(lineId: string, day: string, counters: DayCounters): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO line_daily_usage (line_id, day, sent, new_contacts, inbound)
      VALUES (${lineId}::uuid, ${day}, ${counters.sent}, ${counters.newContacts}, ${counters.inbound})
      ON CONFLICT (line_id, day) DO UPDATE SET
        sent = GREATEST(line_daily_usage.sent, EXCLUDED.sent),
        new_contacts = GREATEST(line_daily_usage.new_contacts, EXCLUDED.new_contacts),
        inbound = GREATEST(line_daily_usage.inbound, EXCLUDED.inbound)`;
  }

  /** Outbound messages of the line that reached `sent` since `since`: the record of truth for the daily cap. */
  async sentSince(lineId: string, since: Date): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(DISTINCT e.message_id) AS n
      FROM message_status_events e JOIN messages m ON m.id = e.message_id
      WHERE m.line_id = ${lineId}::uuid AND e.status = 'sent' AND e.at >= ${since}`;
    return Number(rows[0]?.n ?? 0);
  }

  async day(lineId: string, day: string): Promise<DayCounters | null> {
    return this.prisma.lineDailyUsage.findUnique({
      where: { lineId_day: { lineId, day } },
      select: { sent: true, newContacts: true, inbound: true },
    });
  }
}
