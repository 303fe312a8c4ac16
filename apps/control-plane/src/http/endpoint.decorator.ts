import { applyDecorators, HttpCode, SetMetadata } from '@nestjs/common';
import type { z } from 'zod';
import type { Scope } from '@bridgefleet/contracts/keys.schema.js';

export const ENDPOINT = 'bridgefleet:endpoint';

export interface EndpointSpec {
  /** Scope the caller's key needs; 'public' for unauthenticated routes, 'agent' for node-agent callers. */
  scope: Scope | 'public' | 'agent';
  summary: string;
  tag: string;
  status?: number;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
  /** Extra error statuses this route documents besides the common ones. */
  errors?: number[];
}

/**
 * One declaration per route: its scope, the zod schemas that validate its input,
 * and the same schemas that document it in /docs/openapi.json.
 */
export function Endpoint(spec: EndpointSpec): MethodDecorator {
  return applyDecorators(SetMetadata(ENDPOINT, spec), HttpCode(spec.status ?? 200));
}
