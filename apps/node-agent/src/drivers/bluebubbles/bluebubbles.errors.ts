/** BlueBubbles answered with an error envelope `{status, message, error: {type, message}, data?}`. */
export class BlueBubblesHttpError extends Error {
  constructor(
    readonly status: number,
    /** The envelope's top-level message, e.g. "Message Send Error". */
    readonly envelopeMessage: string,
    readonly errorType: string | undefined,
    readonly detail: string | undefined,
    readonly data: unknown,
    path: string,
  ) {
    super(`bluebubbles ${path} answered ${status}: ${envelopeMessage}${detail && detail !== envelopeMessage ? ` (${detail})` : ''}`);
    this.name = 'BlueBubblesHttpError';
  }

  mentions(text: string): boolean {
    const needle = text.toLowerCase();
    return [this.envelopeMessage, this.detail].some((part) => part?.toLowerCase().includes(needle));
  }
}

/** 401: the configured password is wrong. */
export class BlueBubblesAuthError extends BlueBubblesHttpError {
  constructor(path: string) {
    super(401, 'bluebubbles authentication failed', 'Authentication Error', 'check the BlueBubbles server password', undefined, path);
    this.name = 'BlueBubblesAuthError';
  }
}

/** We gave up waiting; BlueBubbles may still be working on the request. */
export class BlueBubblesTimeoutError extends Error {
  constructor(path: string, timeoutMs: number) {
    super(`bluebubbles ${path} did not answer within ${timeoutMs} ms`);
    this.name = 'BlueBubblesTimeoutError';
  }
}

/** No HTTP answer at all. `refused` = the request certainly never reached BlueBubbles. */
export class BlueBubblesUnreachableError extends Error {
  constructor(
    path: string,
    readonly refused: boolean,
    cause: unknown,
  ) {
    super(`bluebubbles ${path} unreachable: ${describeCause(cause)}`, { cause });
    this.name = 'BlueBubblesUnreachableError';
  }
}

function describeCause(cause: unknown): string {
  const inner = (cause as { cause?: { code?: string; message?: string } })?.cause;
  return inner?.code ?? inner?.message ?? (cause as Error)?.message ?? String(cause);
}
