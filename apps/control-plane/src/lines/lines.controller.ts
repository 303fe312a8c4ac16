import { Controller, Get, Patch, Post } from '@nestjs/common';
import { Page, Uuid } from '@bridgefleet/contracts/common.schema.js';
import { CreateLineBody, LineListQuery, LineView, PatchLineBody } from '@bridgefleet/contracts/fleet.schema.js';
import { z } from 'zod';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { ValidBody, ValidParams, ValidQuery } from '../http/validated.decorator.js';
import { LineService } from './line.service.js';

const IdParams = z.strictObject({ id: Uuid });

@Controller('v1/lines')
export class LinesController {
  constructor(private readonly lines: LineService) {}

  @Post()
  @Endpoint({
    scope: 'fleet:write',
    tag: 'lines',
    summary: 'Add a line (an Apple ID and phone number on a node); starts active and warming',
    status: 201,
    body: CreateLineBody,
    response: LineView,
    errors: [404, 409],
  })
  create(@ValidBody() body: CreateLineBody, @CurrentPrincipal() principal: Principal) {
    return this.lines.create(body, principal);
  }

  @Get()
  @Endpoint({
    scope: 'fleet:read',
    tag: 'lines',
    summary: 'List lines, oldest first (filter by admin, reputation, health, nodeId)',
    query: LineListQuery,
    response: Page(LineView),
  })
  list(@ValidQuery() query: LineListQuery) {
    return this.lines.list(query);
  }

  @Get(':id')
  @Endpoint({
    scope: 'fleet:read',
    tag: 'lines',
    summary: "A line with its states, limits and today's usage",
    params: IdParams,
    response: LineView,
    errors: [404],
  })
  get(@ValidParams() params: { id: string }) {
    return this.lines.get(params.id);
  }

  @Patch(':id')
  @Endpoint({
    scope: 'fleet:write',
    tag: 'lines',
    summary: "Change a line's limit overrides (null goes back to the fleet default)",
    params: IdParams,
    body: PatchLineBody,
    response: LineView,
    errors: [404],
  })
  update(@ValidParams() params: { id: string }, @ValidBody() body: PatchLineBody, @CurrentPrincipal() principal: Principal) {
    return this.lines.update(params.id, body, principal);
  }
}
