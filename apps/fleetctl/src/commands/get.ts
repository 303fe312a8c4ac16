import type { Command } from 'commander';
import { Context, type Io } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { NodeCache } from '../node-cache.js';
import { age, table } from '../output.js';
import { listAll } from '../resolve.js';

const sshText = (ssh: any) => (ssh ? `${ssh.user}@${ssh.host}:${ssh.port}` : '-');

export function registerGet(program: Command, io: Io): void {
  const get = program.command('get').description('List resources: nodes, lines, messages, contacts');

  get
    .command('nodes')
    .description('List nodes with their health')
    .option('--health <state>', 'only nodes in this health state (healthy, degraded, unreachable, unknown)')
    .action(async (options: { health?: string }, command: Command) => {
      const ctx = Context.of(command, io);
      const nodes = await listAll<any>(ctx.api, `/v1/nodes${options.health ? `?health=${encodeURIComponent(options.health)}` : ''}`);
      new NodeCache(ctx.config.dir).remember(nodes);
      ctx.show(nodes, (items) =>
        table(items, [
          { header: 'NAME', value: (n) => n.name },
          { header: 'ID', value: (n) => n.id },
          { header: 'HEALTH', value: (n) => n.health.state },
          { header: 'FAILURES', value: (n) => n.health.consecutiveFailures },
          { header: 'CHECKED', value: (n) => age(n.health.lastCheckedAt) },
          { header: 'SSH', value: (n) => sshText(n.ssh) },
        ]),
      );
    });

  get
    .command('lines')
    .description('List lines with their state and today’s usage')
    .option('--node <id>', 'only lines on this node (id)')
    .option('--admin <state>', 'only lines in this admin state')
    .action(async (options: { node?: string; admin?: string }, command: Command) => {
      const ctx = Context.of(command, io);
      const query = new URLSearchParams({
        ...(options.node ? { nodeId: options.node } : {}),
        ...(options.admin ? { admin: options.admin } : {}),
      });
      const lines = await listAll<any>(ctx.api, `/v1/lines${query.size ? `?${query}` : ''}`);
      ctx.show(lines, (items) =>
        table(items, [
          { header: 'PHONE', value: (l) => l.phoneNumber },
          { header: 'ID', value: (l) => l.id },
          { header: 'ADMIN', value: (l) => l.admin },
          { header: 'REPUTATION', value: (l) => l.reputation },
          { header: 'HEALTH', value: (l) => l.health },
          { header: 'SENT/CAP', value: (l) => `${l.usage.sent}/${l.usage.cap}` },
          { header: 'CONTACTS', value: (l) => l.contacts },
        ]),
      );
    });

  get
    .command('messages')
    .description('List messages, newest first')
    .option('--to <handle>', 'only messages to this handle')
    .option('--line <id>', 'only messages on this line (id)')
    .option('--status <status>', 'only messages in this status')
    .option('--limit <n>', 'how many', '50')
    .action(async (options: { to?: string; line?: string; status?: string; limit: string }, command: Command) => {
      const ctx = Context.of(command, io);
      const query = new URLSearchParams({
        limit: options.limit,
        ...(options.to ? { to: options.to } : {}),
        ...(options.line ? { lineId: options.line } : {}),
        ...(options.status ? { status: options.status } : {}),
      });
      const page = await ctx.api.get<{ items: any[] }>(`/v1/messages?${query}`);
      ctx.show(page.items, (items) =>
        table(items, [
          { header: 'ID', value: (m) => m.id },
          { header: 'DIRECTION', value: (m) => m.direction },
          { header: 'TO', value: (m) => m.to },
          { header: 'STATUS', value: (m) => m.status },
          { header: 'LINE', value: (m) => m.lineId },
          { header: 'AGE', value: (m) => age(m.createdAt) },
        ]),
      );
    });

  get
    .command('contacts')
    .description('Show contacts and the line each is assigned to (the API looks contacts up by handle)')
    .argument('<handle...>', 'E.164 phone numbers or email addresses')
    .action(async (handles: string[], _options: unknown, command: Command) => {
      const ctx = Context.of(command, io);
      if (handles.length === 0) throw new CliError('give at least one contact handle', EXIT.usage);
      const contacts = [];
      for (const handle of handles) contacts.push(await ctx.api.get(`/v1/contacts/${encodeURIComponent(handle)}`));
      ctx.show(contacts, (items) =>
        table(items, [
          { header: 'HANDLE', value: (c: any) => c.handle },
          { header: 'LINE', value: (c: any) => c.lineId },
          { header: 'ASSIGNED', value: (c: any) => age(c.assignedAt) },
          { header: 'LAST IN', value: (c: any) => age(c.lastInboundAt) },
          { header: 'LAST OUT', value: (c: any) => age(c.lastOutboundAt) },
        ]),
      );
    });
}
