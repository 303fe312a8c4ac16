import { describe, expect, it } from 'vitest';
import { planRunbook } from './runbook.js';
import { runbookFromData } from './runbook-file.js';

describe('runbooks as data', () => {
  const entry = {
    name: 'say',
    description: 'echo an enumerated word',
    timeoutSeconds: 10,
    arguments: { word: { values: ['hello', 'bye'], default: 'hello' } },
    steps: [{ name: 'echo', command: 'echo {{word}}', timeoutSeconds: 5 }],
  };

  it('substitutes only enumerated values', () => {
    const runbook = runbookFromData(entry);
    expect(planRunbook(runbook, {}).steps[0]!.command).toBe('echo hello');
    expect(planRunbook(runbook, { word: 'bye' }).steps[0]!.command).toBe('echo bye');
    expect(() => planRunbook(runbook, { word: 'hello; reboot' })).toThrow(/invalid arguments/);
  });

  it('refuses placeholders without a declared argument and unsafe enum values', () => {
    expect(() => runbookFromData({ ...entry, steps: [{ name: 'x', command: 'echo {{other}}', timeoutSeconds: 5 }] })).toThrow(
      /not a declared argument/,
    );
    expect(() => runbookFromData({ ...entry, arguments: { word: { values: ['$(id)'] } } })).toThrow(/shell-safe/);
  });
});
