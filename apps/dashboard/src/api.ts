/** The dashboard talks only to the public API, with the signed-in key as a bearer token. */

const KEY_STORAGE = 'bridgefleet.apiKey';

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

/** An API answer that was not 2xx, with a sentence an operator can act on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const INVALID_KEY = 'This key is not valid or was revoked.';

function explain(status: number, detail: string | undefined, method: string): string {
  if (status === 401) return INVALID_KEY;
  if (status === 403) {
    if (method === 'GET') return `This key lacks the scope to read this (${detail ?? 'forbidden'}).`;
    return `This key lacks fleet:write (or the scope this action needs): ${detail ?? 'forbidden'}`;
  }
  return detail ?? `The control plane answered ${status}.`;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const key = storedKey();
  const response = await fetch(path, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const problem = (parsed ?? {}) as { detail?: string; title?: string };
    throw new ApiError(response.status, explain(response.status, problem.detail ?? problem.title, method));
  }
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
