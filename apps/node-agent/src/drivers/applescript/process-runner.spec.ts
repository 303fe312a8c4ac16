import { describe, expect, it } from 'vitest';
import { ExecFileRunner } from './process-runner.js';

describe('ExecFileRunner', () => {
  const runner = new ExecFileRunner();

  it('hands arguments over verbatim, with no shell in between', async () => {
    const hostile = ['$(echo pwned)', '`id`', '"; exit 3; "', 'a\nb', '👋 \\ "'];
    const result = await runner.run(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...hostile], {
      timeoutMs: 10_000,
    });
    expect(result).toMatchObject({ exitCode: 0, timedOut: false });
    expect(JSON.parse(result.stdout)).toEqual(hostile);
  });

  it('reports the exit code and stderr of a failing program', async () => {
    const result = await runner.run(process.execPath, ['-e', 'process.stderr.write("boom (-1728)"); process.exit(1)'], {
      timeoutMs: 10_000,
    });
    expect(result).toMatchObject({ exitCode: 1, stderr: 'boom (-1728)', timedOut: false });
  });

  it('kills a program that runs past its timeout and says so', async () => {
    const result = await runner.run(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { timeoutMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
  });

  it('reports a program that cannot start', async () => {
    const result = await runner.run('/nonexistent/osascript', [], { timeoutMs: 1_000 });
    expect(result).toMatchObject({ exitCode: null, timedOut: false });
    expect(result.stderr).toContain('ENOENT');
  });
});
