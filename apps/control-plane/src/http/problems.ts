/** Domain errors. One exception filter maps them to application/problem+json. */
export interface FieldError {
  path: string;
  message: string;
}

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }

  get type(): string {
    return `https://bridgefleet.dev/problems/${this.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  }
}

export class ValidationFailed extends Problem {
  constructor(errors: FieldError[], detail = 'The request is invalid.') {
    super(400, 'Invalid request', detail, errors);
  }
}

export class Unauthenticated extends Problem {
  constructor(detail = 'A valid API key is required (Authorization: Bearer bf_…).') {
    super(401, 'Unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer realm="bridgefleet"' });
  }
}

export class MissingScope extends Problem {
  constructor(scope: string) {
    super(403, 'Forbidden', `This API key lacks the scope "${scope}".`);
  }
}

export class NotFound extends Problem {
  constructor(what: string, id: string) {
    super(404, 'Not found', `${what} ${id} does not exist.`);
  }
}

export class Conflict extends Problem {
  constructor(detail: string) {
    super(409, 'Conflict', detail);
  }
}

export class InvalidTransition extends Problem {
  constructor(what: string, from: string, action: string) {
    super(409, 'Invalid transition', `Cannot ${action} a ${what} that is ${from}.`);
  }
}

export class DependencyDown extends Problem {
  constructor(dependency: string, retryAfterSeconds: number) {
    super(503, 'Service unavailable', `${dependency} is unavailable; retry later.`, undefined, {
      'Retry-After': String(retryAfterSeconds),
    });
  }
}
