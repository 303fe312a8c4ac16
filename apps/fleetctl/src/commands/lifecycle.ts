import type { Command } from 'commander';
import { Context, type Io } from '../context.js';
import { findLine } from '../resolve.js';

const ACTIONS = {
  cordon: 'Stop assigning new contacts to a line (it keeps serving its own)',
  uncordon: 'Let a cordoned line take new contacts again',
  drain: 'Move a line’s contacts away and stop using it',
  retire: 'Retire a line for good',
} as const;

const PAST: Record<keyof typeof ACTIONS, string> = { cordon: 'cordoned', uncordon: 'uncordoned', drain: 'draining', retire: 'retired' };

export function registerLifecycle(program: Command, io: Io): void {
  for (const action of Object.keys(ACTIONS) as Array<keyof typeof ACTIONS>) {
    program
      .command(action)
      .description(`${ACTIONS[action]} (409, exit 5, when the line's state does not allow it)`)
      .argument('<line>', 'line id or phone number')
      .option('--reason <text>', 'why, for the audit log')
      .action(async (idOrPhone: string, options: { reason?: string }, command: Command) => {
        const ctx = Context.of(command, io);
        const line = await findLine(ctx.api, idOrPhone);
        const updated = await ctx.api.post(`/v1/lines/${line.id}/${action}`, options.reason ? { reason: options.reason } : {});
        ctx.show(updated, (l: any) => `line ${l.phoneNumber} ${PAST[action]} (admin: ${l.admin})`);
      });
  }
}
