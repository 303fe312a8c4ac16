import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { resolvesToPrivateAddress } from './private-address.js';

export interface AttachmentDownloadLimits {
  maxBytes: number;
  timeoutMs: number;
  /** Redirects followed at most; one more is refused. */
  maxRedirects: number;
  /** Fetch from loopback/private/link-local addresses too (off by default; tests and closed networks). */
  allowPrivateNetworks?: boolean;
}

/** The attachment cannot be fetched. `retryable` = a later try may work (network, 5xx), not a policy refusal. */
export class AttachmentDownloadError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'AttachmentDownloadError';
  }
}

export interface DownloadedFile {
  path: string;
  bytes: number;
  contentType?: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches an attachment URL into a file, under strict limits: http(s) only (each redirect
 * target is checked before it is followed, so a redirect to file: or anything else is
 * refused), at most `maxRedirects` hops, `maxBytes` (checked against Content-Length first,
 * then counted while streaming, so an oversize body is cut off), one deadline for it all.
 */
export async function downloadAttachment(
  url: string,
  directory: string,
  fileName: string,
  limits: AttachmentDownloadLimits,
  fetchImpl: typeof fetch = globalThis.fetch,
): Promise<DownloadedFile> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  try {
    const response = await follow(url, limits, signal, fetchImpl);
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(limits.maxBytes);
    }
    const path = join(directory, fileName);
    const bytes = await streamToFile(response, path, limits.maxBytes);
    const contentType = response.headers.get('content-type') ?? undefined;
    return { path, bytes, ...(contentType ? { contentType } : {}) };
  } catch (error) {
    if (error instanceof AttachmentDownloadError) throw error;
    if ((error as Error)?.name === 'TimeoutError' || signal.aborted) {
      throw new AttachmentDownloadError(`attachment download took longer than ${limits.timeoutMs} ms`, true);
    }
    throw new AttachmentDownloadError(`attachment download failed: ${(error as Error)?.message ?? String(error)}`, true);
  }
}

async function follow(start: string, limits: AttachmentDownloadLimits, signal: AbortSignal, fetchImpl: typeof fetch): Promise<Response> {
  let current = checkedUrl(start, start);
  for (let hop = 0; ; hop += 1) {
    // Checked per hop, so a redirect cannot lead into the Mac's own network either.
    if (!limits.allowPrivateNetworks && (await resolvesToPrivateAddress(current.hostname).catch(() => true))) {
      throw new AttachmentDownloadError(
        `attachment download refused: ${current.hostname} is a private, loopback or link-local address`,
        false,
      );
    }
    const response = await fetchImpl(current, { redirect: 'manual', signal });
    if (!REDIRECT_STATUSES.has(response.status)) {
      if (response.ok) return response;
      await response.body?.cancel().catch(() => undefined);
      // 4xx will not get better by asking again; 5xx and 429 may.
      const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
      throw new AttachmentDownloadError(`attachment download answered ${response.status}`, retryable);
    }
    await response.body?.cancel().catch(() => undefined);
    if (hop >= limits.maxRedirects) {
      throw new AttachmentDownloadError(`attachment download refused: more than ${limits.maxRedirects} redirects`, false);
    }
    const location = response.headers.get('location');
    if (!location) throw new AttachmentDownloadError('attachment download refused: redirect without a Location', false);
    current = checkedUrl(location, current.href);
  }
}

function checkedUrl(target: string, base: string): URL {
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    throw new AttachmentDownloadError('attachment download refused: not a valid URL', false);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AttachmentDownloadError(`attachment download refused: ${url.protocol} URLs are not fetched (only http and https)`, false);
  }
  return url;
}

async function streamToFile(response: Response, path: string, maxBytes: number): Promise<number> {
  const file = await open(path, 'wx', 0o600);
  let bytes = 0;
  try {
    if (!response.body) return 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) {
        await response.body.cancel().catch(() => undefined);
        throw tooLarge(maxBytes);
      }
      await file.write(chunk);
    }
    return bytes;
  } finally {
    await file.close();
  }
}

function tooLarge(maxBytes: number): AttachmentDownloadError {
  return new AttachmentDownloadError(`attachment is larger than the ${maxBytes}-byte limit`, false);
}
