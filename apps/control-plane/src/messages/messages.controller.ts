import { Body, Controller, Get, Headers, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  AcceptedMessage,
  IDEMPOTENT_REPLAYED_HEADER,
  MessageIdParams,
  MessageListQuery,
  MessagePage,
  MessageView,
  SendMessageBody,
} from '@bridgefleet/contracts/messages.schema.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { ValidBody, ValidParams, ValidQuery } from '../http/validated.decorator.js';
import { parseIdempotencyKey } from './idempotency.js';
import { MessagesService } from './messages.service.js';

@Controller('v1/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Post()
  @Endpoint({
    scope: 'messages:write',
    tag: 'messages',
    summary: 'Queue a message (send the Idempotency-Key header to make retries safe)',
    status: 202,
    body: SendMessageBody,
    response: AcceptedMessage,
    errors: [409, 422, 503],
  })
  async send(
    @ValidBody() body: SendMessageBody,
    @Body() rawBody: unknown,
    @Headers('idempotency-key') idempotencyHeader: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ) {
    const idempotencyKey = parseIdempotencyKey(idempotencyHeader);
    const outcome = await this.messages.send({ body, rawBody, idempotencyKey, principal });
    response.status(outcome.status);
    if (outcome.replayed) response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return outcome.body;
  }

  @Get()
  @Endpoint({
    scope: 'messages:read',
    tag: 'messages',
    summary: 'List messages, newest first (without history)',
    query: MessageListQuery,
    response: MessagePage,
  })
  list(@ValidQuery() query: MessageListQuery) {
    return this.messages.list(query);
  }

  @Get(':id')
  @Endpoint({
    scope: 'messages:read',
    tag: 'messages',
    summary: 'A message with its status history',
    params: MessageIdParams,
    response: MessageView,
    errors: [404],
  })
  get(@ValidParams() params: { id: string }) {
    return this.messages.get(params.id);
  }

  @Post(':id/cancel')
  @Endpoint({
    scope: 'messages:write',
    tag: 'messages',
    summary: 'Cancel a message that is not sending yet (409 from sending on)',
    params: MessageIdParams,
    response: MessageView,
    errors: [404, 409],
  })
  cancel(@ValidParams() params: { id: string }, @CurrentPrincipal() principal: Principal) {
    return this.messages.cancel(params.id, principal);
  }
}
