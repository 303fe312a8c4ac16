import { Controller, Delete, Get, Post } from '@nestjs/common';
import { Uuid } from '@bridgefleet/contracts/common.schema.js';
import { CreatedKey, CreateKeyBody, KeyView } from '@bridgefleet/contracts/keys.schema.js';
import { z } from 'zod';
import { Endpoint } from '../http/endpoint.decorator.js';
import { ValidBody, ValidParams } from '../http/validated.decorator.js';
import { ApiKeyService } from './api-key.service.js';
import { CurrentPrincipal } from './principal.decorator.js';
import type { Principal } from './principal.js';

const IdParams = z.strictObject({ id: Uuid });

@Controller('v1/keys')
export class KeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Post()
  @Endpoint({
    scope: 'admin',
    tag: 'keys',
    summary: 'Create an API key (the key is shown only in this response)',
    status: 201,
    body: CreateKeyBody,
    response: CreatedKey,
  })
  create(@ValidBody() body: CreateKeyBody, @CurrentPrincipal() principal: Principal) {
    return this.keys.create(body, principal);
  }

  @Get()
  @Endpoint({
    scope: 'admin',
    tag: 'keys',
    summary: 'List API keys (never their secrets)',
    response: z.object({ items: z.array(KeyView) }),
  })
  async list() {
    return { items: await this.keys.list() };
  }

  @Delete(':id')
  @Endpoint({ scope: 'admin', tag: 'keys', summary: 'Revoke an API key', params: IdParams, response: KeyView, errors: [404] })
  revoke(@ValidParams() params: { id: string }, @CurrentPrincipal() principal: Principal) {
    return this.keys.revoke(params.id, principal);
  }
}
