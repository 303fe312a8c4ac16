import { createHash } from 'node:crypto';
import { z } from 'zod';

/** `SHA256:` + 43 characters of unpadded base64, exactly what `ssh-keygen -lf` prints. */
export const HostKeyFingerprint = z
  .string()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must be a SHA256:… fingerprint as printed by ssh-keygen -lf')
  .meta({ example: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s' });

/** Fingerprint of a public key blob (the SSH wire encoding the server sends in its handshake). */
export function hostKeyFingerprint(publicKeyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** Both sides are public; a plain comparison is fine. Whitespace around the pinned value is ignored. */
export function fingerprintMatches(pinned: string, actual: string): boolean {
  return pinned.trim() === actual;
}

export class HostKeyMismatch extends Error {
  constructor(
    readonly host: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`host key of ${host} is ${actual}, pinned ${expected}: refusing to connect`);
    this.name = 'HostKeyMismatch';
  }
}
