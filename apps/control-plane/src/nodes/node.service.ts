import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Prisma } from '@bridgefleet/db/generated/client.js';
import {
  decodeCursor,
  encodeCursor,
  type CreateNodeBody,
  type NodeListQuery,
  type NodeView,
  type PatchNodeBody,
  type SshTarget,
} from '@bridgefleet/contracts/fleet.schema.js';
import { AuditRepository, type Tx } from '../audit/audit.repository.js';
import type { Principal } from '../auth/principal.js';
import { PrismaService } from '../database/prisma.service.js';
import { Conflict, NotFound } from '../http/problems.js';
import { auditableNode, toNodeView } from './node-view.js';
import { NodeRepository } from './node.repository.js';

function sshColumns(ssh: SshTarget | null | undefined) {
  if (ssh === undefined) return {};
  return {
    sshHost: ssh?.host ?? null,
    sshPort: ssh?.port ?? null,
    sshUser: ssh?.user ?? null,
    hostKeyFingerprint: ssh?.hostKeyFingerprint ?? null,
  };
}

@Injectable()
export class NodeService {
  constructor(
    private readonly nodes: NodeRepository,
    private readonly audit: AuditRepository,
    private readonly prisma: PrismaService,
  ) {}

  async get(id: string): Promise<NodeView> {
    const row = await this.nodes.findById(id);
    if (!row) throw new NotFound('Node', id);
    return toNodeView(row);
  }

  async list(query: NodeListQuery) {
    const rows = await this.nodes.list({
      limit: query.limit,
      after: query.cursor ? decodeCursor(query.cursor) : undefined,
      health: query.health,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { items: page.map(toNodeView), nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
  }

  async create(body: CreateNodeBody, by: Principal): Promise<NodeView> {
    const row = await this.prisma.$transaction(async (tx) => {
      await this.assertNameFree(body.name, undefined, tx);
      const created = await this.nodes.create(
        {
          id: randomUUID(),
          name: body.name,
          agentUrl: body.agentUrl,
          agentToken: body.agentToken,
          labels: body.labels ?? {},
          ...sshColumns(body.ssh),
        },
        tx,
      );
      await this.audit.record(
        { actor: by.actor, action: 'node.create', targetType: 'node', targetId: created.id, detail: { after: auditableNode(created) } },
        tx,
      );
      return created;
    });
    return toNodeView(row);
  }

  async update(id: string, body: PatchNodeBody, by: Principal): Promise<NodeView> {
    const row = await this.prisma.$transaction(async (tx) => {
      if (!(await this.nodes.lock(id, tx))) throw new NotFound('Node', id);
      const before = (await this.nodes.findById(id, tx))!;
      if (body.name !== undefined) await this.assertNameFree(body.name, id, tx);
      const data: Prisma.NodeUncheckedUpdateInput = {
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.agentUrl === undefined ? {} : { agentUrl: body.agentUrl }),
        ...(body.agentToken === undefined ? {} : { agentToken: body.agentToken }),
        ...(body.labels === undefined ? {} : { labels: body.labels }),
        ...sshColumns(body.ssh),
      };
      const updated = await this.nodes.update(id, data, tx);
      await this.audit.record(
        {
          actor: by.actor,
          action: 'node.update',
          targetType: 'node',
          targetId: id,
          // The token itself is never recorded; only that it changed.
          detail: { before: auditableNode(before), after: auditableNode(updated), agentTokenChanged: body.agentToken !== undefined },
        },
        tx,
      );
      return updated;
    });
    return toNodeView(row);
  }

  async remove(id: string, by: Principal): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      if (!(await this.nodes.lock(id, tx))) throw new NotFound('Node', id);
      const live = await this.nodes.countLiveLines(id, tx);
      if (live > 0) throw new Conflict(`Node ${id} still hosts ${live} line(s) that are not retired; retire them first.`);
      const before = (await this.nodes.findById(id, tx))!;
      await this.nodes.deleteWithRetiredLines(id, tx);
      await this.audit.record(
        { actor: by.actor, action: 'node.delete', targetType: 'node', targetId: id, detail: { before: auditableNode(before) } },
        tx,
      );
    });
  }

  private async assertNameFree(name: string, self: string | undefined, tx: Tx): Promise<void> {
    const other = await this.nodes.findByName(name, tx);
    if (other && other.id !== self) throw new Conflict(`A node named "${name}" already exists.`);
  }
}
