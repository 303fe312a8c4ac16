import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';
import { RedisService } from '../redis/redis.service.js';

export interface Check {
  status: 'up' | 'down';
  error?: string;
  latencyMs?: number;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, Check>;
  detail: Record<string, unknown>;
}

/** Other modules (e.g. the health poller's storm guard) add detail to /readyz through this. */
export type ReadinessContributor = () => Record<string, unknown>;

@Injectable()
export class ReadinessService {
  private readonly contributors = new Map<string, ReadinessContributor>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly redis: RedisService,
  ) {}

  contribute(name: string, contributor: ReadinessContributor): void {
    this.contributors.set(name, contributor);
  }

  async check(timeoutMs = 1_500): Promise<Readiness> {
    const [postgres, redis] = await Promise.all([probe(() => this.prisma.ping(timeoutMs)), probe(() => this.redis.ping(timeoutMs))]);
    const detail = Object.fromEntries([...this.contributors].map(([name, contributor]) => [name, contributor()]));
    return { ready: postgres.status === 'up' && redis.status === 'up', checks: { postgres, redis }, detail };
  }
}

async function probe(run: () => Promise<void>): Promise<Check> {
  const started = performance.now();
  try {
    await run();
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  }
}
