import { RequestMethod } from '@nestjs/common';
import { z } from 'zod';
import { ProblemDetails } from '@bridgefleet/contracts/common.schema.js';
import type { EndpointSpec } from '../http/endpoint.decorator.js';

export interface RouteDoc {
  method: RequestMethod;
  path: string;
  spec: EndpointSpec;
}

const METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

const COMMON_ERRORS: Record<number, string> = {
  400: 'Invalid input (problem+json with the field and the reason)',
  401: 'Missing, malformed or revoked API key',
  403: 'The key lacks the scope',
  404: 'Not found',
  409: 'Conflict or invalid state transition',
  413: 'Body too large',
  422: 'Idempotency key reused with another body',
  503: 'A dependency is down (Retry-After)',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as Record<
    string,
    unknown
  >;
  return rest;
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

/** Builds the OpenAPI 3 document from the same zod schemas that validate each route. */
export function buildOpenApi(routes: RouteDoc[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, path, spec } of routes) {
    const verb = METHODS[method];
    if (!verb) continue;
    const openApiPath = path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const status = String(spec.status ?? 200);
    const errorStatuses = new Set<number>([...(spec.errors ?? [])]);
    if (spec.scope !== 'public') [401, 403].forEach((code) => errorStatuses.add(code));
    if (spec.body || spec.query || spec.params) errorStatuses.add(400);
    if (spec.body) errorStatuses.add(413);
    const responses: Record<string, unknown> = {
      [status]: {
        description: spec.summary,
        ...(spec.response ? { content: { 'application/json': { schema: jsonSchema(spec.response, 'output') } } } : {}),
      },
    };
    for (const code of [...errorStatuses].sort()) {
      responses[String(code)] = {
        description: COMMON_ERRORS[code] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      };
    }
    paths[openApiPath] ??= {};
    paths[openApiPath][verb] = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.scope === 'public' || spec.scope === 'agent'
        ? { security: [] }
        : { security: [{ apiKey: [] }], 'x-required-scope': spec.scope }),
      parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
      ...(spec.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'bridgefleet API',
      version,
      description: 'Control plane for a fleet of Mac iMessage bridges. Authenticate with `Authorization: Bearer bf_<prefix>_<secret>`.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'bf_<prefix>_<secret>' } },
      schemas: { Problem: jsonSchema(ProblemDetails, 'output') },
    },
    paths,
  };
}
