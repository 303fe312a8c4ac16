import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { readLuaScript } from '../redis/lua-script.js';
import { RedisService } from '../redis/redis.service.js';

/** Keys are hash-tagged per node so both keys of one claim live in one Redis Cluster slot. */
const nodeKey = (redis: RedisService, nodeId: string, what: string) => redis.key(`{node:${nodeId}}`, what);

/** How long a node's health memory outlives its last probe (a node gone for a day starts afresh). */
const MEMORY_TTL_MS = 24 * 3_600_000;

type ClaimingRedis = Redis & {
  claimProbe(leaseKey: string, memoryKey: string, epoch: number, ttlMs: number): Promise<string | null>;
};

/**
 * Several control-plane processes share the poll: before probing a node, a process
 * claims it for the current epoch (floor(now / interval)) with claim-probe.lua, so
 * each node is probed at most once per epoch fleet-wide, whoever gets there first.
 * The state machine's memory lives next to the claim, so whichever process probes
 * next continues from the same counts.
 */
@Injectable()
export class ProbeLeaseRepository {
  private readonly client: ClaimingRedis;

  constructor(private readonly redis: RedisService) {
    this.client = redis.client as ClaimingRedis;
    if (typeof this.client.claimProbe !== 'function') {
      this.client.defineCommand('claimProbe', { numberOfKeys: 2, lua: readLuaScript(import.meta.url, './claim-probe.lua') });
    }
  }

  /** Claims the nodes for `epoch` in one round trip; returns the memory (or '') of each node claimed. */
  async claim(nodeIds: readonly string[], epoch: number, ttlMs: number): Promise<Map<string, string>> {
    const claimed = new Map<string, string>();
    if (nodeIds.length === 0) return claimed;
    await this.redis.connect();
    const pipeline = this.client.pipeline() as unknown as {
      claimProbe(...args: unknown[]): void;
      exec(): Promise<[Error | null, unknown][] | null>;
    };
    for (const id of nodeIds)
      pipeline.claimProbe(nodeKey(this.redis, id, 'poll'), nodeKey(this.redis, id, 'health'), epoch, Math.round(ttlMs));
    const results = (await pipeline.exec()) ?? [];
    results.forEach(([error, value], index) => {
      if (error === null && typeof value === 'string') claimed.set(nodeIds[index]!, value);
    });
    return claimed;
  }

  async saveMemory(entries: ReadonlyArray<[nodeId: string, memory: string]>): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.client.pipeline();
    for (const [id, memory] of entries) pipeline.set(nodeKey(this.redis, id, 'health'), memory, 'PX', MEMORY_TTL_MS);
    await pipeline.exec();
  }
}
