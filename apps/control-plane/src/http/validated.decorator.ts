import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

type Part = 'params' | 'query' | 'body';

function validated(part: Part) {
  return createParamDecorator((_: unknown, context: ExecutionContext) => {
    const request = context.switchToHttp().getRequest<{ validated?: Record<Part, unknown> }>();
    return request.validated?.[part];
  })();
}

/** The route's body after its zod schema parsed it (see @Endpoint). */
export const ValidBody = () => validated('body');
export const ValidQuery = () => validated('query');
export const ValidParams = () => validated('params');
