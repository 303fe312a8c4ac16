import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostKeyMismatch } from '@bridgefleet/runbooks/host-key.js';
import { defineRunbook, enumArgument, planRunbook } from '@bridgefleet/runbooks/runbook.js';
import { runRunbook, type RunOptions } from '@bridgefleet/runbooks/ssh-runner.js';
import { startSilentListener, startSshd, type TestSshd } from '@bridgefleet/testing/sshd.js';

// The target is Linux, not a Mac: these runbooks use the same type as the built-ins.
const greet = defineRunbook({
  name: 'greet',
  description: 'echo to stdout and stderr, then fail with 3',
  timeoutSeconds: 20,
  arguments: { word: enumArgument(['hello', 'goodbye'], 'hello') },
  steps: [
    { name: 'say', command: (args) => `echo ${args.word}; echo oops >&2`, timeoutSeconds: 10 },
    { name: 'fail', command: 'exit 3', timeoutSeconds: 10 },
    { name: 'never', command: 'echo unreachable', timeoutSeconds: 10 },
  ],
});

const touchMarker = (marker: string) =>
  defineRunbook({
    name: 'touch-marker',
    description: 'leaves a trace',
    timeoutSeconds: 10,
    arguments: {},
    steps: [{ name: 'touch', command: `touch ${marker}`, timeoutSeconds: 5 }],
  });

describe('SSH runbook runner against a real sshd', () => {
  let sshd: TestSshd;
  let options: RunOptions;
  beforeAll(async () => {
    sshd = await startSshd();
    options = { privateKey: readFileSync(sshd.clientKeyPath), readyTimeoutMs: 1_500, keepaliveIntervalMs: 500, keepaliveCountMax: 2 };
  });
  afterAll(async () => {
    await sshd?.stop();
  });
  const target = () => ({ host: sshd.host, port: sshd.port, username: sshd.user, hostKeyFingerprint: sshd.hostKeyFingerprint });

  it('runs the steps in order, keeps output and exit codes, and stops at the first failure', async () => {
    const streamed: string[] = [];
    const result = await runRunbook(target(), planRunbook(greet, { word: 'goodbye' }), {
      ...options,
      onOutput: (_, chunk) => streamed.push(chunk),
    });
    expect(result.status).toBe('failed');
    expect(result.exitCode).toBe(3);
    expect(result.steps.map((s) => [s.name, s.status, s.exitCode])).toEqual([
      ['say', 'succeeded', 0],
      ['fail', 'failed', 3],
    ]);
    expect(result.steps[0]!.output).toContain('goodbye');
    expect(result.steps[0]!.output).toContain('oops');
    expect(streamed.join('')).toContain('goodbye');
  });

  it('bounds the captured output and marks it truncated', async () => {
    const noisy = defineRunbook({
      name: 'noisy',
      description: 'prints 200 KB',
      timeoutSeconds: 20,
      arguments: {},
      steps: [{ name: 'print', command: 'head -c 200000 /dev/zero | tr "\\0" x', timeoutSeconds: 10 }],
    });
    const result = await runRunbook(target(), planRunbook(noisy, {}), { ...options, maxStepOutputBytes: 1024 });
    expect(result.status).toBe('succeeded');
    expect(result.steps[0]!.output).toHaveLength(1024);
    expect(result.steps[0]!.truncated).toBe(true);
  });

  it('refuses a host whose key does not match the pin before running anything', async () => {
    const marker = join(sshd.dir, 'marker-mismatch');
    const wrong = { ...target(), hostKeyFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    const logBefore = sshd.log().length;
    await expect(runRunbook(wrong, planRunbook(touchMarker(marker), {}), options)).rejects.toBeInstanceOf(HostKeyMismatch);
    expect(existsSync(marker)).toBe(false);
    // sshd saw the connection end during key exchange: no authentication, no session.
    await expect.poll(() => sshd.log().slice(logBefore), { timeout: 3_000 }).toMatch(/Disconnected from .*\[preauth\]/);
    const during = sshd.log().slice(logBefore);
    expect(during).not.toMatch(/Accepted publickey|Starting session/);
    // Same runbook with the right pin does run: the marker proves the check above is not vacuous.
    const ok = await runRunbook(target(), planRunbook(touchMarker(marker), {}), options);
    expect(ok.status).toBe('succeeded');
    expect(existsSync(marker)).toBe(true);
  });

  it('times out a step that hangs and reports timed_out', async () => {
    const hang = defineRunbook({
      name: 'hang',
      description: 'sleeps past its step timeout',
      timeoutSeconds: 30,
      arguments: {},
      steps: [
        { name: 'sleep', command: 'sleep 30', timeoutSeconds: 1 },
        { name: 'after', command: 'echo after', timeoutSeconds: 5 },
      ],
    });
    const result = await runRunbook(target(), planRunbook(hang, {}), options);
    expect(result.status).toBe('timed_out');
    expect(result.steps.map((s) => s.status)).toEqual(['timed_out']);
    expect(result.error).toContain('"sleep" exceeded 1 s');
  });

  it('times out against a listener that never answers', async () => {
    const silent = await startSilentListener();
    try {
      const result = await runRunbook({ ...target(), host: silent.host, port: silent.port }, planRunbook(greet, {}), options);
      expect(result.status).toBe('timed_out');
      expect(result.steps).toEqual([]);
      expect(result.error).toMatch(/handshake/);
      expect(silent.connections()).toBe(1);
    } finally {
      await silent.close();
    }
  });

  it('times out against a stopped sshd and works again once it resumes', async () => {
    sshd.pause();
    try {
      const result = await runRunbook(target(), planRunbook(greet, {}), options);
      expect(result.status).toBe('timed_out');
    } finally {
      sshd.resume();
    }
    const again = await runRunbook(target(), planRunbook(greet, {}), options);
    expect(again.steps[0]!.status).toBe('succeeded');
  });
});
