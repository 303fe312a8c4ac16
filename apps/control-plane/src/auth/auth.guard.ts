import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ENDPOINT, type EndpointSpec } from '../http/endpoint.decorator.js';
import { MissingScope, Unauthenticated } from '../http/problems.js';
import { ApiKeyService } from './api-key.service.js';
import { hasScope, type Principal } from './principal.js';

export type AuthedRequest = Request & { principal?: Principal };

/**
 * Global guard. A route without an @Endpoint declaration is refused outright,
 * so no route can be left open by forgetting its scope.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT, context.getHandler());
    if (!spec) throw new MissingScope('(undeclared route)');
    // Agent routes verify their own HMAC signature in the controller.
    if (spec.scope === 'public' || spec.scope === 'agent') return true;
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new Unauthenticated();
    const principal = await this.keys.authenticate(match[1]!);
    if (!principal) throw new Unauthenticated('The API key is malformed, unknown or revoked.');
    if (!hasScope(principal, spec.scope)) throw new MissingScope(spec.scope);
    request.principal = principal;
    return true;
  }
}
