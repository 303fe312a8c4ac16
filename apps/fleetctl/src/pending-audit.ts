import { existsSync, mkdirSync, readFileSync, renameSync, appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DirectRunRecordBody } from '@bridgefleet/contracts/direct-run.schema.js';
import type { Api } from './api.js';

/** A break-glass run waiting to be reported; the node may be known only by name until the API answers. */
export type PendingRun = Omit<DirectRunRecordBody, 'nodeId'> & { nodeId?: string; nodeName?: string };

/** `pending-audit.jsonl` in the config dir: one break-glass run per line until the API has recorded it. */
export class PendingAudit {
  private readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, 'pending-audit.jsonl');
  }

  add(run: PendingRun): void {
    mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
    appendFileSync(this.path, `${JSON.stringify(run)}\n`, { mode: 0o600 });
  }

  list(): PendingRun[] {
    if (!existsSync(this.path)) return [];
    return readFileSync(this.path, 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as PendingRun);
  }

  /**
   * Reports every pending run (idempotent on the run id, so a crash between the POST and
   * the rewrite only repeats a no-op). Runs that could not be reported stay in the file.
   */
  async flush(api: Api, warn: (text: string) => void): Promise<number> {
    const pending = this.list();
    if (pending.length === 0) return 0;
    const left: PendingRun[] = [];
    let reported = 0;
    for (const run of pending) {
      try {
        const nodeId = run.nodeId ?? (await findNodeIdByName(api, run.nodeName ?? ''));
        const { nodeName: _ignored, ...body } = { ...run, nodeId };
        await api.post('/v1/remediations/direct', body);
        reported += 1;
      } catch (error) {
        left.push(run);
        warn(`break-glass run ${run.id} not reported yet: ${(error as Error).message}`);
      }
    }
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, left.map((run) => `${JSON.stringify(run)}\n`).join(''), { mode: 0o600 });
    renameSync(temp, this.path);
    return reported;
  }
}

async function findNodeIdByName(api: Api, name: string): Promise<string> {
  const page = await api.get<{ items: Array<{ id: string; name: string }> }>('/v1/nodes?limit=500');
  const node = page.items.find((item) => item.name === name);
  if (!node) throw new Error(`no node named ${name}`);
  return node.id;
}
