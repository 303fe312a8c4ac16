import type { AgentLog } from '../node-agent.js';

/** What the control plane must know about one simulated Mac and its line. */
export interface FleetMember {
  name: string;
  agentUrl: string;
  agentToken: string;
  phoneNumber: string;
  appleId: string;
  nodeId?: string;
  lineId?: string;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Registers each member's node and line through the public API, idempotently: existing
 * nodes are found by name (their agent URL updated when the fleet moved port), existing
 * lines by phone number. Fills in nodeId and lineId.
 */
export async function registerFleet(
  members: FleetMember[],
  controlPlaneUrl: string,
  apiKey: string,
  log: AgentLog,
  concurrency = 16,
): Promise<void> {
  const api = new ControlPlaneApi(controlPlaneUrl, apiKey);
  const nodes = new Map((await api.listAll<{ id: string; name: string; agentUrl: string }>('/v1/nodes')).map((node) => [node.name, node]));
  await inPool(members, concurrency, async (member) => {
    const existing = nodes.get(member.name);
    if (existing) {
      member.nodeId = existing.id;
      if (existing.agentUrl !== member.agentUrl) {
        await api.call('PATCH', `/v1/nodes/${existing.id}`, { agentUrl: member.agentUrl, agentToken: member.agentToken }, [200]);
      }
      return;
    }
    const created = await api.call<{ id: string }>(
      'POST',
      '/v1/nodes',
      { name: member.name, agentUrl: member.agentUrl, agentToken: member.agentToken },
      [201],
    );
    member.nodeId = created.id;
  });
  const lines = new Map((await api.listAll<{ id: string; phoneNumber: string }>('/v1/lines')).map((line) => [line.phoneNumber, line]));
  await inPool(members, concurrency, async (member) => {
    const existing = lines.get(member.phoneNumber);
    if (existing) {
      member.lineId = existing.id;
      return;
    }
    const created = await api.call<{ id: string }>(
      'POST',
      '/v1/lines',
      { phoneNumber: member.phoneNumber, appleId: member.appleId, nodeId: member.nodeId },
      [201],
    );
    member.lineId = created.id;
  });
  log.info({ nodes: members.length }, 'simulated fleet registered with the control plane');
}

class ControlPlaneApi {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async call<T>(method: string, path: string, body: unknown, expected: number[]): Promise<T> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: { authorization: `Bearer ${this.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!expected.includes(response.status)) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async listAll<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: Page<T> = await this.call<Page<T>>('GET', `${path}${query}`, undefined, [200]);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }
}

async function inPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
