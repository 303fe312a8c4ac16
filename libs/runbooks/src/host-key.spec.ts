import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintMatches, HostKeyFingerprint, hostKeyFingerprint } from './host-key.js';

describe('host key fingerprint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bf-hostkey-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['ed25519', 'ecdsa', 'rsa'])('matches what ssh-keygen -lf prints for a %s key', (type) => {
    const key = join(dir, `key_${type}`);
    execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', key], { stdio: 'ignore' });
    const printed = execFileSync('ssh-keygen', ['-lf', `${key}.pub`], { encoding: 'utf8' }).split(/\s+/)[1]!;
    // A .pub line is "<type> <base64 of the wire-format blob> <comment>": the blob the server sends.
    const blob = Buffer.from(readFileSync(`${key}.pub`, 'utf8').split(' ')[1]!, 'base64');
    expect(hostKeyFingerprint(blob)).toBe(printed);
    expect(HostKeyFingerprint.safeParse(printed).success).toBe(true);
    expect(fingerprintMatches(` ${printed}\n`, hostKeyFingerprint(blob))).toBe(true);
  });

  it('rejects fingerprints in other formats', () => {
    expect(HostKeyFingerprint.safeParse('MD5:12:34').success).toBe(false);
    expect(HostKeyFingerprint.safeParse('SHA256:abc=').success).toBe(false);
    expect(fingerprintMatches('SHA256:aaa', 'SHA256:aab')).toBe(false);
  });
});
