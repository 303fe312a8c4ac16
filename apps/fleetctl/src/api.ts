import { CliError, EXIT, exitCodeForStatus } from './exit-codes.js';

interface Problem {
  title?: string;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
}

/** The control plane's REST API over fetch; every failure becomes a CliError with the documented exit code. */
export class Api {
  constructor(
    readonly server: string,
    private readonly key: string | undefined,
    private readonly timeoutMs = 30_000,
  ) {}

  get<T = any>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<T> {
    return this.request<T>('POST', path, body, headers);
  }

  async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.server}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(this.key ? { authorization: `Bearer ${this.key}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const { cause, name } = error as { cause?: { code?: string; message?: string }; name: string };
      const why = name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (cause?.code ?? cause?.message ?? name);
      throw new CliError(`cannot reach the control plane at ${this.server} (${why})`, EXIT.unavailable);
    }
    const text = await response.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const problem = (parsed ?? {}) as Problem;
      const details = problem.errors?.map((e) => `${e.path}: ${e.message}`).join('; ');
      const message = [`${response.status} ${problem.title ?? response.statusText}`, problem.detail, details].filter(Boolean).join(': ');
      throw new CliError(message, exitCodeForStatus(response.status));
    }
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
