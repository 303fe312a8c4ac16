import type { Command } from 'commander';
import { Context, type Io } from '../context.js';
import { table } from '../output.js';

/** `runbooks`, `audit` and `send`: one request each. */
export function registerSimple(program: Command, io: Io): void {
  program
    .command('runbooks')
    .description('List the runbook allowlist')
    .action(async (_options: unknown, command: Command) => {
      const ctx = Context.of(command, io);
      const { items } = await ctx.api.get<{ items: any[] }>('/v1/runbooks');
      ctx.show(items, (runbooks) =>
        table(runbooks, [
          { header: 'NAME', value: (r) => r.name },
          { header: 'TIMEOUT', value: (r) => `${r.timeoutSeconds}s` },
          { header: 'STEPS', value: (r) => r.steps.length },
          { header: 'ARGUMENTS', value: (r) => Object.entries(r.arguments).map(([k, v]: [string, any]) => `${k}=${v.values.join('|')}`) },
          { header: 'DESCRIPTION', value: (r) => r.description },
        ]),
      );
    });

  program
    .command('audit')
    .description('List audit events, newest first (admin key)')
    .option('--action <action>', 'only this action, e.g. remediation.direct')
    .option('--target <id>', 'only events about this target id')
    .option('--actor <actor>', 'only events by this actor')
    .option('--limit <n>', 'how many', '50')
    .action(async (options: { action?: string; target?: string; actor?: string; limit: string }, command: Command) => {
      const ctx = Context.of(command, io);
      const query = new URLSearchParams({
        limit: options.limit,
        ...(options.action ? { action: options.action } : {}),
        ...(options.target ? { targetId: options.target } : {}),
        ...(options.actor ? { actor: options.actor } : {}),
      });
      const { items } = await ctx.api.get<{ items: any[] }>(`/v1/audit?${query}`);
      ctx.show(items, (events) =>
        table(events, [
          { header: 'AT', value: (e) => e.at },
          { header: 'ACTOR', value: (e) => e.actor },
          { header: 'ACTION', value: (e) => e.action },
          { header: 'TARGET', value: (e) => (e.targetId ? `${e.targetType}/${e.targetId}` : e.targetType) },
          { header: 'RESULT', value: (e) => e.result },
          { header: 'REASON', value: (e) => e.reason },
        ]),
      );
    });

  program
    .command('send')
    .description('Send a message (queued; follow it with get messages)')
    .requiredOption('--to <handle>', 'E.164 phone number or email address')
    .requiredOption('--body <text>', 'message text')
    .option('--idempotency-key <key>', 'retry-safe key (default: a new random one)')
    .action(async (options: { to: string; body: string; idempotencyKey?: string }, command: Command) => {
      const ctx = Context.of(command, io);
      const accepted = await ctx.api.post(
        '/v1/messages',
        { to: options.to, body: options.body },
        { 'idempotency-key': options.idempotencyKey ?? crypto.randomUUID() },
      );
      ctx.show(accepted, (m: any) => `message ${m.id} ${m.status} to ${m.to}`);
    });
}
