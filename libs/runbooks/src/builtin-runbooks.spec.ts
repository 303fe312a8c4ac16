import { describe, expect, it } from 'vitest';
import { builtinRunbooks } from './builtin-runbooks.js';
import { InvalidRunbookArguments, RunbookNotFound } from './runbook.js';
import { RunbookCatalog } from './runbook-catalog.js';

const catalog = new RunbookCatalog(builtinRunbooks());

describe('built-in runbooks', () => {
  it('cover the failures in bluebubbles.md', () => {
    expect(catalog.names().sort()).toEqual(
      ['collect-diagnostics', 'reboot', 'restart-agent', 'restart-bluebubbles', 'restart-messages', 'time-sync'].sort(),
    );
  });

  it('resolve to the same fixed commands whatever the caller sends', () => {
    const planned = Object.fromEntries(catalog.names().map((name) => [name, catalog.plan(name, {}).steps.map((step) => step.command)]));
    expect(planned).toEqual({
      'restart-messages': ['killall Messages || true', 'sleep 3', 'open -a Messages', 'sleep 5; pgrep -x Messages'],
      'restart-bluebubbles': ['launchctl kickstart -k gui/$(id -u)/com.BlueBubbles.BlueBubbles-Server'],
      'restart-agent': ['launchctl kickstart -k gui/$(id -u)/dev.bridgefleet.agent'],
      'collect-diagnostics': [
        'uptime',
        'df -h',
        'sntp time.apple.com',
        'curl -sS --max-time 10 -G --data-urlencode "password@$HOME/.bridgefleet/bluebubbles-password" http://127.0.0.1:1234/api/v1/server/info',
        'tail -n 200 "$HOME/Library/Logs/bridgefleet/agent.log"',
        'tail -n 200 "$HOME/Library/Logs/bluebubbles/main.log"',
      ],
      'time-sync': ['sudo -n sntp -sS time.apple.com'],
      reboot: ['sudo -n shutdown -r now'],
    });
  });

  it('take launchd labels only from the configured enumeration', () => {
    const custom = new RunbookCatalog(builtinRunbooks({ agentLabels: ['a.agent', 'b.agent'], bluebubblesLabels: ['bb.server'] }));
    expect(custom.plan('restart-agent', { label: 'b.agent' }).steps[0]!.command).toBe('launchctl kickstart -k gui/$(id -u)/b.agent');
    for (const label of ['evil; reboot', '$(reboot)', '`reboot`', 'a.agent\nreboot', 'c.agent']) {
      expect(() => custom.plan('restart-agent', { label })).toThrow(InvalidRunbookArguments);
    }
    expect(() => custom.plan('restart-agent', { label: 'a.agent', extra: 'x' })).toThrow(InvalidRunbookArguments);
    expect(() => custom.plan('rm-rf', {})).toThrow(RunbookNotFound);
  });

  it('refuse a configured label that is not a shell-safe token', () => {
    expect(() => builtinRunbooks({ agentLabels: ['ok.agent; reboot'], bluebubblesLabels: ['bb'] })).toThrow(/shell-safe/);
  });

  it('list steps and arguments for GET /v1/runbooks', () => {
    const agent = catalog.list().find((runbook) => runbook.name === 'restart-agent')!;
    expect(agent.arguments).toEqual({ label: { values: ['dev.bridgefleet.agent'], default: 'dev.bridgefleet.agent' } });
    expect(agent.steps).toEqual([{ name: 'kickstart agent', timeoutSeconds: 30, optional: false }]);
  });
});
