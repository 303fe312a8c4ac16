import { Controller, Delete, Get, Post } from '@nestjs/common';
import { z } from 'zod';
import {
  CreatedWebhook,
  CreateWebhookBody,
  DeliveryListQuery,
  WebhookDeliveryPage,
  WebhookDeliveryView,
  WebhookView,
} from '@bridgefleet/contracts/webhooks.schema.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { ValidBody, ValidParams, ValidQuery } from '../http/validated.decorator.js';
import { WebhooksService } from './webhooks.service.js';

const IdParams = z.strictObject({ id: z.uuid() });

@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Endpoint({
    scope: 'admin',
    tag: 'webhooks',
    summary: 'Subscribe an endpoint (the signing secret is shown only in this response)',
    status: 201,
    body: CreateWebhookBody,
    response: CreatedWebhook,
  })
  create(@ValidBody() body: CreateWebhookBody, @CurrentPrincipal() principal: Principal) {
    return this.webhooks.create(body, principal);
  }

  @Get()
  @Endpoint({
    scope: 'admin',
    tag: 'webhooks',
    summary: 'List webhook endpoints (never their secrets)',
    response: z.object({ items: z.array(WebhookView) }),
  })
  async list() {
    return { items: await this.webhooks.list() };
  }

  @Delete(':id')
  @Endpoint({
    scope: 'admin',
    tag: 'webhooks',
    summary: 'Delete an endpoint and its deliveries',
    params: IdParams,
    response: WebhookView,
    errors: [404],
  })
  remove(@ValidParams() params: { id: string }, @CurrentPrincipal() principal: Principal) {
    return this.webhooks.remove(params.id, principal);
  }

  @Get(':id/deliveries')
  @Endpoint({
    scope: 'admin',
    tag: 'webhooks',
    summary: 'Deliveries to an endpoint, newest first',
    params: IdParams,
    query: DeliveryListQuery,
    response: WebhookDeliveryPage,
    errors: [404],
  })
  deliveries(@ValidParams() params: { id: string }, @ValidQuery() query: DeliveryListQuery) {
    return this.webhooks.deliveries(params.id, query);
  }

  @Post('deliveries/:id/replay')
  @Endpoint({
    scope: 'admin',
    tag: 'webhooks',
    summary: 'Send a finished delivery again (same webhook-id)',
    status: 202,
    params: IdParams,
    response: WebhookDeliveryView,
    errors: [404, 409],
  })
  replay(@ValidParams() params: { id: string }, @CurrentPrincipal() principal: Principal) {
    return this.webhooks.replay(params.id, principal);
  }
}
