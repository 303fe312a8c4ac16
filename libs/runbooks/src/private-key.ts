import { readFileSync } from 'node:fs';

export interface PrivateKeySource {
  /** A file holding the key (OpenSSH or PEM format). */
  path?: string;
  /** The name of an environment variable holding the key itself. */
  envName?: string;
}

export class PrivateKeyUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrivateKeyUnavailable';
  }
}

/**
 * Resolves the SSH private key at the moment it is needed (so a rotated file is picked
 * up) from a path or a named environment variable. Errors name the source, never the
 * key; the key is never stored or logged.
 */
export function resolvePrivateKey(source: PrivateKeySource, env: Readonly<Record<string, string | undefined>>): Buffer {
  if (source.path) {
    try {
      return readFileSync(source.path);
    } catch (error) {
      throw new PrivateKeyUnavailable(
        `cannot read the SSH private key file ${source.path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
  }
  if (source.envName) {
    const value = env[source.envName];
    if (!value) throw new PrivateKeyUnavailable(`the environment variable ${source.envName} (SSH private key) is empty or unset`);
    // Env files often carry the key on one line with literal \n.
    return Buffer.from(value.includes('\\n') && !value.includes('\n') ? value.replace(/\\n/g, '\n') : value);
  }
  throw new PrivateKeyUnavailable('no SSH private key configured (set SSH_PRIVATE_KEY_PATH or SSH_PRIVATE_KEY_ENV)');
}
