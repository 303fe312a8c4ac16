import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CachedNode {
  id: string;
  name: string;
  ssh: { host: string; port: number; user: string; hostKeyFingerprint: string } | null;
}

/**
 * `nodes.json` in the config dir: every node's SSH target and pinned host key as last
 * seen by `get nodes` / `describe node`, so `run --direct` works when the API is down.
 * Only public data (no agent token, no key).
 */
export class NodeCache {
  private readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, 'nodes.json');
  }

  read(): Record<string, CachedNode> {
    if (!existsSync(this.path)) return {};
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, CachedNode>;
    } catch {
      return {};
    }
  }

  remember(nodes: ReadonlyArray<CachedNode>): void {
    const all = this.read();
    for (const node of nodes) all[node.id] = { id: node.id, name: node.name, ssh: node.ssh };
    mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(this.path, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  }

  find(idOrName: string): CachedNode | undefined {
    const all = Object.values(this.read());
    return all.find((node) => node.id === idOrName) ?? all.find((node) => node.name === idOrName);
  }
}
