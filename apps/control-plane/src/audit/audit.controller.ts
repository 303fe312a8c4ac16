import { Controller, Get } from '@nestjs/common';
import { AuditEventView, AuditQuery } from '@bridgefleet/contracts/audit.schema.js';
import { Page } from '@bridgefleet/contracts/common.schema.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { ValidQuery } from '../http/validated.decorator.js';
import { AuditRepository } from './audit.repository.js';

@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

  @Get()
  @Endpoint({ scope: 'admin', tag: 'audit', summary: 'List audit events, newest first', query: AuditQuery, response: Page(AuditEventView) })
  async list(@ValidQuery() query: AuditQuery) {
    const rows = await this.audit.list({ ...query, cursor: query.cursor === undefined ? undefined : BigInt(query.cursor) });
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((row) => ({
        id: row.id.toString(),
        at: row.at.toISOString(),
        actor: row.actor,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        reason: row.reason,
        result: row.result,
        detail: row.detail ?? null,
      })),
      nextCursor: rows.length > query.limit ? page[page.length - 1]!.id.toString() : null,
    };
  }
}
