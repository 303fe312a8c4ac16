import { Controller, Get } from '@nestjs/common';
import { Page, Uuid } from '@bridgefleet/contracts/common.schema.js';
import { LineContactsQuery, UsageHistory, UsageHistoryQuery } from '@bridgefleet/contracts/dashboard.schema.js';
import { ContactView } from '@bridgefleet/contracts/fleet.schema.js';
import { z } from 'zod';
import { Endpoint } from '../http/endpoint.decorator.js';
import { NotFound } from '../http/problems.js';
import { ValidParams, ValidQuery } from '../http/validated.decorator.js';
import { LineInsightsRepository } from './line-insights.repository.js';

const IdParams = z.strictObject({ id: Uuid });

/** Read routes the dashboard's line page needs: daily history and the line's contacts. */
@Controller('v1/lines/:id')
export class LineInsightsController {
  constructor(private readonly insights: LineInsightsRepository) {}

  @Get('usage')
  @Endpoint({
    scope: 'fleet:read',
    tag: 'lines',
    summary: "A line's persisted daily usage (sent, new contacts, inbound), oldest first",
    params: IdParams,
    query: UsageHistoryQuery,
    response: UsageHistory,
    errors: [404],
  })
  async usage(@ValidParams() params: { id: string }, @ValidQuery() query: UsageHistoryQuery) {
    await this.requireLine(params.id);
    const rows = await this.insights.recentDays(params.id, query.days);
    const days = rows.reverse().map(({ day, sent, newContacts, inbound }) => ({ day, sent, newContacts, inbound }));
    return { lineId: params.id, days };
  }

  @Get('contacts')
  @Endpoint({
    scope: 'fleet:read',
    tag: 'lines',
    summary: 'Contacts pinned to a line, by handle',
    params: IdParams,
    query: LineContactsQuery,
    response: Page(ContactView),
    errors: [404],
  })
  async contacts(@ValidParams() params: { id: string }, @ValidQuery() query: LineContactsQuery) {
    await this.requireLine(params.id);
    const rows = await this.insights.contacts(params.id, query.limit, query.cursor);
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((row) => ({
        handle: row.handle,
        lineId: row.lineId,
        assignedAt: row.assignedAt?.toISOString() ?? null,
        lastInboundAt: row.lastInboundAt?.toISOString() ?? null,
        lastOutboundAt: row.lastOutboundAt?.toISOString() ?? null,
      })),
      nextCursor: rows.length > query.limit ? page[page.length - 1]!.handle : null,
    };
  }

  private async requireLine(id: string): Promise<void> {
    if (!(await this.insights.lineExists(id))) throw new NotFound('line', id);
  }
}
