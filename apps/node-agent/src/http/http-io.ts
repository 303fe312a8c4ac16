import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';

export interface FieldError {
  path: string;
  message: string;
}

/** The error body of every agent route: application/problem+json, like the control plane's. */
export function sendProblem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  errors?: FieldError[],
  headers: Record<string, string> = {},
): void {
  const type = `https://bridgefleet.dev/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const body = JSON.stringify({ type, title, status, detail, ...(errors ? { errors } : {}) });
  res.writeHead(status, { 'content-type': 'application/problem+json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** 404 for a path no route serves; the unread body is drained so the connection can be reused. */
export function sendNoRoute(req: IncomingMessage, res: ServerResponse, path: string): void {
  req.resume();
  sendProblem(res, 404, 'Not found', `No route ${req.method ?? 'GET'} ${path}.`);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export class BadRequest extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
  }
}

/** Reads a JSON body up to `limit` bytes; a 400/413/415 BadRequest otherwise. */
export async function readJson(req: IncomingMessage, limit = 1_048_576): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) throw new BadRequest(415, 'Unsupported media type', 'Send application/json.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BadRequest(413, 'Payload too large', `The body exceeds ${limit} bytes.`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest(400, 'Invalid request', 'The body is not valid JSON.', [{ path: 'body', message: 'malformed JSON' }]);
  }
}

/** Parses with a zod schema; field errors use the control plane's `body.<path>` form. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, root: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.flatMap((issue) => {
    const path = [root, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: `${path}.${key}`, message: 'unknown field' }));
    return [{ path, message: issue.message }];
  });
  throw new BadRequest(400, 'Invalid request', 'The request is invalid.', errors);
}
