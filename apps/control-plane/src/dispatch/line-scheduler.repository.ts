import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.schema.js';
import { readLuaScript } from '../redis/lua-script.js';
import { RedisService } from '../redis/redis.service.js';

interface SchedulerCommands {
  bfEnqueue(ready: string, inflight: string, queue: string, lineId: string, messageId: string, seq: string, now: number): Promise<number>;
  bfClaimNext(ready: string, inflight: string, now: number, leaseMs: number): Promise<[string] | [null, string]>;
  bfSettle(ready: string, inflight: string, queue: string, lineId: string, nextAt: number, ...messageIds: string[]): Promise<number>;
  bfRemove(ready: string, inflight: string, queue: string, lineId: string, messageId: string): Promise<number>;
  bfLeaseLine(ready: string, inflight: string, lineId: string, now: number, leaseMs: number): Promise<number>;
}

export interface Claim {
  shard: number;
  lineId: string;
}

/**
 * Per-line dispatch queues in Redis. Lines are spread over shards; each shard has
 * a ready set (lines that may be tried, scored by when) and an inflight set
 * (leased lines). All keys of one shard share a hash tag ({sched:<n>}), so every
 * script touches a single Redis Cluster slot.
 */
@Injectable()
export class LineSchedulerRepository {
  private readonly redis: Redis & SchedulerCommands;
  readonly shards: number;

  constructor(redis: RedisService, @Inject(APP_CONFIG) config: AppConfig) {
    this.shards = config.DISPATCH_SHARDS;
    this.prefix = redis.prefix;
    const client = redis.client as Redis & SchedulerCommands;
    if (typeof (client as Partial<SchedulerCommands>).bfEnqueue !== 'function') {
      client.defineCommand('bfEnqueue', { numberOfKeys: 3, lua: readLuaScript(import.meta.url, './lua/enqueue.lua') });
      client.defineCommand('bfClaimNext', { numberOfKeys: 2, lua: readLuaScript(import.meta.url, './lua/claim-next.lua') });
      client.defineCommand('bfSettle', { numberOfKeys: 3, lua: readLuaScript(import.meta.url, './lua/settle.lua') });
      client.defineCommand('bfRemove', { numberOfKeys: 3, lua: readLuaScript(import.meta.url, './lua/remove.lua') });
      client.defineCommand('bfLeaseLine', { numberOfKeys: 2, lua: readLuaScript(import.meta.url, './lua/lease-line.lua') });
    }
    this.redis = client;
  }

  private readonly prefix: string;

  shardOf(lineId: string): number {
    // FNV-1a: cheap, stable across processes and languages.
    let hash = 0x811c9dc5;
    for (let i = 0; i < lineId.length; i += 1) {
      hash ^= lineId.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash % this.shards;
  }

  private keys(shard: number) {
    const tag = `${this.prefix}:{sched:${shard}}`;
    return { ready: `${tag}:ready`, inflight: `${tag}:inflight`, queue: (lineId: string) => `${tag}:q:${lineId}` };
  }

  async enqueue(lineId: string, messageId: string, seq: bigint, now: number): Promise<boolean> {
    const k = this.keys(this.shardOf(lineId));
    return (await this.redis.bfEnqueue(k.ready, k.inflight, k.queue(lineId), lineId, messageId, seq.toString(), now)) === 1;
  }

  /**
   * enqueue() for many messages in one round trip (the reconciler re-queues a whole page
   * of PostgreSQL rows); returns how many were not already queued.
   */
  async enqueueMany(items: Array<{ lineId: string; messageId: string; seq: bigint }>, now: number): Promise<number> {
    if (items.length === 0) return 0;
    const pipeline = this.redis.pipeline() as unknown as {
      bfEnqueue: (...args: (string | number)[]) => void;
      exec(): Promise<[Error | null, unknown][] | null>;
    };
    for (const { lineId, messageId, seq } of items) {
      const k = this.keys(this.shardOf(lineId));
      pipeline.bfEnqueue(k.ready, k.inflight, k.queue(lineId), lineId, messageId, seq.toString(), now);
    }
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error);
    if (failed) throw failed[0]!;
    return replies.filter(([, added]) => added === 1).length;
  }

  /** Leases the next line of the shard that may send now; else when the next one will be. */
  async claimNext(shard: number, now: number, leaseMs: number): Promise<Claim | { nextReadyAt: number | undefined }> {
    const k = this.keys(shard);
    const reply = await this.redis.bfClaimNext(k.ready, k.inflight, now, leaseMs);
    if (reply[0]) return { shard, lineId: reply[0] };
    const next = Number(reply[1]);
    return { nextReadyAt: next < 0 ? undefined : next };
  }

  /** The first `count` message ids of a line's queue, oldest first. */
  async head(lineId: string, count: number): Promise<string[]> {
    const k = this.keys(this.shardOf(lineId));
    return this.redis.zrange(k.queue(lineId), 0, count - 1);
  }

  async settle(lineId: string, nextAt: number, finished: string[]): Promise<number> {
    const k = this.keys(this.shardOf(lineId));
    return this.redis.bfSettle(k.ready, k.inflight, k.queue(lineId), lineId, nextAt, ...finished);
  }

  /**
   * Leases one given line, as claimNext does for a due one; end it with settle(lineId,
   * dueAt, moved). Undefined while another worker holds it.
   */
  async lease(lineId: string, now: number, leaseMs: number): Promise<{ dueAt: number } | undefined> {
    const k = this.keys(this.shardOf(lineId));
    const dueAt = await this.redis.bfLeaseLine(k.ready, k.inflight, lineId, now, leaseMs);
    return dueAt < 0 ? undefined : { dueAt };
  }

  async remove(lineId: string, messageId: string): Promise<void> {
    const k = this.keys(this.shardOf(lineId));
    await this.redis.bfRemove(k.ready, k.inflight, k.queue(lineId), lineId, messageId);
  }

  /** Brings a parked line's next try forward to `now` (an inbound may have lifted a ratio or unanswered hold). */
  async wake(lineId: string, now: number): Promise<void> {
    const k = this.keys(this.shardOf(lineId));
    await this.redis.zadd(k.ready, 'XX', 'LT', now, lineId);
  }

  async queuedCount(lineId: string): Promise<number> {
    return this.redis.zcard(this.keys(this.shardOf(lineId)).queue(lineId));
  }

  async isQueued(lineId: string, messageId: string): Promise<boolean> {
    return (await this.redis.zscore(this.keys(this.shardOf(lineId)).queue(lineId), messageId)) !== null;
  }
}
