import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  decodeCursor,
  encodeCursor,
  type CreateLineBody,
  type LineListQuery,
  type LineView,
  type PatchLineBody,
} from '@bridgefleet/contracts/fleet.schema.js';
import { AuditRepository } from '../audit/audit.repository.js';
import type { Principal } from '../auth/principal.js';
import { PrismaService } from '../database/prisma.service.js';
import { Conflict, NotFound, Problem } from '../http/problems.js';
import { LineViewBuilder, storedOverrides } from './line-view.builder.js';
import { LineRepository } from './line.repository.js';

@Injectable()
export class LineService {
  constructor(
    private readonly lines: LineRepository,
    private readonly views: LineViewBuilder,
    private readonly audit: AuditRepository,
    private readonly prisma: PrismaService,
  ) {}

  async get(id: string): Promise<LineView> {
    const row = await this.lines.findById(id);
    if (!row) throw new NotFound('Line', id);
    return this.views.one(row);
  }

  async list(query: LineListQuery) {
    const rows = await this.lines.list({
      limit: query.limit,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      admin: query.admin,
      reputation: query.reputation,
      health: query.health,
      nodeId: query.nodeId,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { items: await this.views.many(page), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  async create(body: CreateLineBody, by: Principal): Promise<LineView> {
    const row = await this.prisma.$transaction(async (tx) => {
      if (!(await this.lines.nodeExists(body.nodeId, tx))) {
        throw new Problem(404, 'Not found', `Node ${body.nodeId} does not exist.`, [{ path: 'body.nodeId', message: 'no such node' }]);
      }
      if (await this.lines.findByPhoneNumber(body.phoneNumber, tx)) {
        throw new Conflict(`A line with phone number ${body.phoneNumber} already exists.`);
      }
      const created = await this.lines.create(
        {
          id: randomUUID(),
          phoneNumber: body.phoneNumber,
          appleId: body.appleId,
          nodeId: body.nodeId,
          admin: body.admin ?? 'active',
          limits: body.limits ?? {},
        },
        tx,
      );
      await this.audit.record(
        {
          actor: by.actor,
          action: 'line.create',
          targetType: 'line',
          targetId: created.id,
          detail: {
            after: {
              phoneNumber: created.phoneNumber,
              appleId: created.appleId,
              nodeId: created.nodeId,
              admin: created.admin,
              limits: body.limits ?? {},
            },
          },
        },
        tx,
      );
      return created;
    });
    return this.views.one(row);
  }

  /** Sets the given limit overrides; a null goes back to the fleet default. */
  async update(id: string, body: PatchLineBody, by: Principal): Promise<LineView> {
    const row = await this.prisma.$transaction(async (tx) => {
      const current = await this.lines.findById(id, tx);
      if (!current) throw new NotFound('Line', id);
      const before = storedOverrides(current.limits);
      const after: Record<string, number> = { ...before };
      for (const [key, value] of Object.entries(body.limits)) {
        if (value === null) delete after[key];
        else if (value !== undefined) after[key] = value;
      }
      const updated = await this.lines.updateLimits(id, after, tx);
      await this.audit.record(
        {
          actor: by.actor,
          action: 'line.update',
          targetType: 'line',
          targetId: id,
          detail: { before: { limits: before }, after: { limits: after } },
        },
        tx,
      );
      return updated;
    });
    return this.views.one(row);
  }
}
