import { BlueBubblesAuthError, BlueBubblesHttpError, BlueBubblesTimeoutError, BlueBubblesUnreachableError } from './bluebubbles.errors.js';

export interface BlueBubblesEnvelope {
  status: number;
  message: string;
  data?: unknown;
  metadata?: unknown;
}

export interface BlueBubblesCall {
  query?: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

/** Error codes meaning the connection was never made, so nothing reached BlueBubbles. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * The BlueBubbles REST API (`/api/v1`): password as a query parameter (its only auth),
 * JSON envelope in and out, every failure turned into a typed error. Error messages
 * name the path only, never the URL, because the URL carries the password.
 */
export class BlueBubblesClient {
  private readonly base: string;

  constructor(
    serverUrl: string,
    private readonly password: string,
    private readonly fetchImpl: typeof fetch = globalThis.fetch,
  ) {
    this.base = serverUrl.replace(/\/+$/, '');
  }

  get(path: string, call: BlueBubblesCall): Promise<BlueBubblesEnvelope> {
    return this.call('GET', path, call);
  }

  post(path: string, call: BlueBubblesCall): Promise<BlueBubblesEnvelope> {
    return this.call('POST', path, call);
  }

  /** A multipart upload (message/attachment): fetch sets the boundary and streams file-backed blobs. */
  postForm(path: string, form: FormData, timeoutMs: number): Promise<BlueBubblesEnvelope> {
    return this.call('POST', path, { timeoutMs }, form);
  }

  private async call(method: 'GET' | 'POST', path: string, call: BlueBubblesCall, form?: FormData): Promise<BlueBubblesEnvelope> {
    const url = new URL(`${this.base}/api/v1${path}`);
    for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
    url.searchParams.set('password', this.password);
    let response: Response;
    let text: string;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers: call.body === undefined ? {} : { 'content-type': 'application/json' },
        body: form ?? (call.body === undefined ? undefined : JSON.stringify(call.body)),
        signal: AbortSignal.timeout(call.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      if ((error as Error)?.name === 'TimeoutError') throw new BlueBubblesTimeoutError(path, call.timeoutMs);
      const code = (error as { cause?: { code?: string } })?.cause?.code;
      throw new BlueBubblesUnreachableError(path, code !== undefined && NEVER_CONNECTED.has(code), error);
    }
    if (response.status === 401) throw new BlueBubblesAuthError(path);
    const envelope = parseEnvelope(text);
    if (response.ok && envelope) return envelope;
    const error = envelope?.error as { type?: unknown; message?: unknown } | undefined;
    throw new BlueBubblesHttpError(
      response.status,
      typeof envelope?.message === 'string' ? envelope.message : response.statusText || 'no envelope',
      typeof error?.type === 'string' ? error.type : undefined,
      typeof error?.message === 'string' ? error.message : undefined,
      envelope?.data,
      path,
    );
  }
}

function parseEnvelope(text: string): (BlueBubblesEnvelope & { error?: unknown }) | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as BlueBubblesEnvelope & { error?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}
