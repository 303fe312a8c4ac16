/** Exit codes scripts can rely on (also listed in `fleetctl --help` and docs/fleetctl.md). */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  unauthorized: 3,
  notFound: 4,
  conflict: 5,
  unavailable: 6,
  runFailed: 7,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  any other error
  2  usage error (unknown command or option, missing argument, invalid input: HTTP 400/422)
  3  unauthorized: no, bad or revoked key (401) or missing scope (403)
  4  not found (404), or no node/line matches the name
  5  conflict or invalid state transition (409)
  6  control plane unreachable or unavailable (connection refused, timeout, 503)
  7  a remediation run finished but failed or timed out`;

/** An error that ends the command with a chosen exit code and a one-line message. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function exitCodeForStatus(status: number): number {
  if (status === 401 || status === 403) return EXIT.unauthorized;
  if (status === 404) return EXIT.notFound;
  if (status === 409) return EXIT.conflict;
  if (status === 400 || status === 413 || status === 422) return EXIT.usage;
  if (status === 502 || status === 503 || status === 504) return EXIT.unavailable;
  return EXIT.error;
}
