import { Controller, Delete, Get, Patch, Post } from '@nestjs/common';
import { Page, Uuid } from '@bridgefleet/contracts/common.schema.js';
import { CreateNodeBody, NodeListQuery, NodeView, PatchNodeBody } from '@bridgefleet/contracts/fleet.schema.js';
import { z } from 'zod';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { ValidBody, ValidParams, ValidQuery } from '../http/validated.decorator.js';
import { NodeService } from './node.service.js';

const IdParams = z.strictObject({ id: Uuid });

@Controller('v1/nodes')
export class NodesController {
  constructor(private readonly nodes: NodeService) {}

  @Post()
  @Endpoint({
    scope: 'fleet:write',
    tag: 'fleet',
    summary: 'Register a node (a Mac running the agent)',
    status: 201,
    body: CreateNodeBody,
    response: NodeView,
    errors: [409],
  })
  create(@ValidBody() body: CreateNodeBody, @CurrentPrincipal() principal: Principal) {
    return this.nodes.create(body, principal);
  }

  @Get()
  @Endpoint({ scope: 'fleet:read', tag: 'fleet', summary: 'List nodes, oldest first', query: NodeListQuery, response: Page(NodeView) })
  list(@ValidQuery() query: NodeListQuery) {
    return this.nodes.list(query);
  }

  @Get(':id')
  @Endpoint({ scope: 'fleet:read', tag: 'fleet', summary: 'A node with its health', params: IdParams, response: NodeView, errors: [404] })
  get(@ValidParams() params: { id: string }) {
    return this.nodes.get(params.id);
  }

  @Patch(':id')
  @Endpoint({
    scope: 'fleet:write',
    tag: 'fleet',
    summary: 'Change a node (name, agent URL or token, SSH target, labels)',
    params: IdParams,
    body: PatchNodeBody,
    response: NodeView,
    errors: [404, 409],
  })
  update(@ValidParams() params: { id: string }, @ValidBody() body: PatchNodeBody, @CurrentPrincipal() principal: Principal) {
    return this.nodes.update(params.id, body, principal);
  }

  @Delete(':id')
  @Endpoint({
    scope: 'fleet:write',
    tag: 'fleet',
    summary: 'Delete a node that hosts no live (non-retired) line',
    status: 204,
    params: IdParams,
    errors: [404, 409],
  })
  async remove(@ValidParams() params: { id: string }, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.nodes.remove(params.id, principal);
  }
}
