import type { Command } from 'commander';
import { Context, type Io } from '../context.js';
import { NodeCache } from '../node-cache.js';
import { age, fields, table } from '../output.js';
import { findLine, findNode, listAll } from '../resolve.js';

export function registerDescribe(program: Command, io: Io): void {
  const describe = program.command('describe').description('Show one node or line in detail');

  describe
    .command('node')
    .description('A node: health, SSH target, its lines and recent remediation runs (automatic ones included)')
    .argument('<node>', 'node id or name')
    .action(async (idOrName: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command, io);
      const node = await findNode(ctx.api, idOrName);
      new NodeCache(ctx.config.dir).remember([node]);
      const lines = await listAll<any>(ctx.api, `/v1/lines?nodeId=${node.id}`);
      const remediations = (await ctx.api.get<{ items: any[] }>(`/v1/nodes/${node.id}/remediations?limit=10`)).items;
      ctx.show({ node, lines, remediations }, () =>
        [
          fields([
            ['Name', node.name],
            ['ID', node.id],
            ['Agent', node.agentUrl],
            ['SSH', node.ssh ? `${node.ssh.user}@${node.ssh.host}:${node.ssh.port}` : null],
            ['Host key', node.ssh?.hostKeyFingerprint],
            ['Labels', Object.entries(node.labels ?? {}).map(([k, v]) => `${k}=${v}`)],
            ['Health', node.health.state],
            ['Health since', node.health.changedAt],
            ['Last checked', node.health.lastCheckedAt],
            ['Failures', node.health.consecutiveFailures],
          ]),
          '',
          'Lines:',
          lines.length
            ? indent(
                table(lines, [
                  { header: 'PHONE', value: (l) => l.phoneNumber },
                  { header: 'ADMIN', value: (l) => l.admin },
                  { header: 'REPUTATION', value: (l) => l.reputation },
                  { header: 'SENT/CAP', value: (l) => `${l.usage.sent}/${l.usage.cap}` },
                ]),
              )
            : '  none',
          '',
          'Remediations:',
          remediations.length
            ? indent(
                table(remediations, [
                  { header: 'ID', value: (r) => r.id },
                  { header: 'RUNBOOK', value: (r) => r.runbook },
                  { header: 'STATUS', value: (r) => r.status },
                  { header: 'BY', value: (r) => (r.automatic ? 'auto' : r.requestedBy) },
                  { header: 'AGE', value: (r) => age(r.createdAt) },
                ]),
              )
            : '  none',
        ].join('\n'),
      );
    });

  describe
    .command('line')
    .description('A line: states, limits and today’s usage')
    .argument('<line>', 'line id or phone number')
    .action(async (idOrPhone: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command, io);
      const line = await findLine(ctx.api, idOrPhone);
      ctx.show(line, (l) =>
        fields([
          ['Phone', l.phoneNumber],
          ['ID', l.id],
          ['Apple ID', l.appleId],
          ['Node', l.nodeId],
          ['Admin', l.admin],
          ['Reputation', l.reputationReason ? `${l.reputation} (${l.reputationReason})` : l.reputation],
          ['Health', l.health],
          ['Assignable', l.assignable],
          ['Sendable', l.sendable],
          ['Usage day', l.usage.day],
          ['Sent', `${l.usage.sent}/${l.usage.cap} (remaining ${l.usage.remaining})`],
          ['New contacts', `${l.usage.newContacts}/${l.usage.newContactCap}`],
          ['Inbound', l.usage.inbound],
          ['Ratio', l.usage.ratio],
          ['Contacts', l.contacts],
          ['Limits', Object.entries(l.effectiveLimits).map(([k, v]) => `${k}=${v}`)],
          ['Warm-up since', l.warmupStartedAt],
        ]),
      );
    });
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
