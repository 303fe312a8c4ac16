import { Controller, Get, Put } from '@nestjs/common';
import { ContactParams, ContactView, PinContactBody } from '@bridgefleet/contracts/fleet.schema.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { Endpoint } from '../http/endpoint.decorator.js';
import { ValidBody, ValidParams } from '../http/validated.decorator.js';
import { ContactService } from './contact.service.js';

type HandleParams = { handle: string };

/** Contacts are addressed by handle: E.164 (URL-encode the `+` as %2B) or an email address. */
@Controller('v1/contacts/:handle')
export class ContactsController {
  constructor(private readonly contacts: ContactService) {}

  @Get()
  @Endpoint({
    scope: 'fleet:read',
    tag: 'contacts',
    summary: 'A contact and the line it is pinned to',
    params: ContactParams,
    response: ContactView,
    errors: [404],
  })
  get(@ValidParams() params: HandleParams) {
    return this.contacts.get(params.handle);
  }

  @Put('line')
  @Endpoint({
    scope: 'fleet:write',
    tag: 'contacts',
    summary: 'Pin a contact to a line that can send (creates the contact if new)',
    params: ContactParams,
    body: PinContactBody,
    response: ContactView,
    errors: [404, 409],
  })
  pin(@ValidParams() params: HandleParams, @ValidBody() body: PinContactBody, @CurrentPrincipal() principal: Principal) {
    return this.contacts.pin(params.handle, body.lineId, principal);
  }
}
