import { Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { readLuaScript } from '../redis/lua-script.js';
import { RedisService } from '../redis/redis.service.js';

const MINUTE_MS = 60_000;
// A finished drain leaves no key behind for long; well past one slot, so the pace holds.
const KEY_LIFETIME_MS = 10 * MINUTE_MS;

interface DrainPaceCommands {
  bfTakeDrainSlot(key: string, now: number, nextOpenAt: number, lifetimeMs: number): Promise<number>;
}

/** The drain pace in Redis: one batch per line per minute, across all workers and replicas. */
@Injectable()
export class DrainPaceRepository {
  private readonly redis: Redis & DrainPaceCommands;

  constructor(private readonly redisService: RedisService) {
    const client = redisService.client as Redis & DrainPaceCommands;
    if (typeof (client as Partial<DrainPaceCommands>).bfTakeDrainSlot !== 'function') {
      client.defineCommand('bfTakeDrainSlot', { numberOfKeys: 1, lua: readLuaScript(import.meta.url, './lua/take-drain-slot.lua') });
    }
    this.redis = client;
  }

  /** True when this caller may move a batch of the line's contacts now; the next batch a minute later. */
  async takeSlot(lineId: string, now: Date): Promise<boolean> {
    const key = this.redisService.key('drain', 'pace', `{line:${lineId}}`);
    return (await this.redis.bfTakeDrainSlot(key, now.getTime(), now.getTime() + MINUTE_MS, KEY_LIFETIME_MS)) === 1;
  }
}
