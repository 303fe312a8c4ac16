import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import type { z } from 'zod';
import { ENDPOINT, type EndpointSpec } from './endpoint.decorator.js';
import { ValidationFailed, type FieldError } from './problems.js';

function issuesOf(error: z.ZodError, root: string): FieldError[] {
  return error.issues
    .map((issue) => {
      const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ path: path ? `${path}.${key}` : key, message: 'unknown field' }));
      }
      return [{ path, message: issue.message }];
    })
    .flat();
}

function parse(schema: z.ZodType | undefined, value: unknown, root: string): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value ?? (root === 'body' ? undefined : {}));
  if (!result.success) throw new ValidationFailed(issuesOf(result.error, root));
  return result.data;
}

/** Parses params, query and body with the route's zod schemas before the handler runs. */
@Injectable()
export class ValidationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const spec = this.reflector.get<EndpointSpec | undefined>(ENDPOINT, context.getHandler());
    if (spec && context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<Request & { validated?: unknown }>();
      const params = parse(spec.params, request.params, 'params');
      const query = parse(spec.query, { ...request.query }, 'query');
      const body = parse(spec.body, request.body, 'body');
      request.validated = { params, query, body };
    }
    return next.handle();
  }
}
