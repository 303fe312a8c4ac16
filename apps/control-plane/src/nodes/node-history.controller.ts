import { Controller, Get } from '@nestjs/common';
import { Uuid } from '@bridgefleet/contracts/common.schema.js';
import { HealthHistory, HealthHistoryQuery } from '@bridgefleet/contracts/dashboard.schema.js';
import { z } from 'zod';
import { AuditRepository } from '../audit/audit.repository.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { NotFound } from '../http/problems.js';
import { ValidParams, ValidQuery } from '../http/validated.decorator.js';
import { NodeRepository } from './node.repository.js';

const IdParams = z.strictObject({ id: Uuid });

/** A node's health state changes, read from the audit log the health poller writes. */
@Controller('v1/nodes/:id/health-history')
export class NodeHistoryController {
  constructor(
    private readonly nodes: NodeRepository,
    private readonly audit: AuditRepository,
  ) {}

  @Get()
  @Endpoint({
    scope: 'fleet:read',
    tag: 'fleet',
    summary: "A node's health state changes, newest first",
    params: IdParams,
    query: HealthHistoryQuery,
    response: HealthHistory,
    errors: [404],
  })
  async list(@ValidParams() params: { id: string }, @ValidQuery() query: HealthHistoryQuery) {
    if (!(await this.nodes.findById(params.id))) throw new NotFound('node', params.id);
    const rows = await this.audit.list({ limit: query.limit, targetType: 'node', targetId: params.id, action: 'node.health' });
    const items = rows.slice(0, query.limit).map((row) => {
      const detail = (row.detail ?? {}) as { from?: string; to?: string };
      return { at: row.at.toISOString(), from: detail.from ?? null, to: detail.to ?? null, reason: row.reason };
    });
    return { nodeId: params.id, items };
  }
}
