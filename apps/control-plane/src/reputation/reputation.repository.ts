import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';

export type ReputationCandidate = Awaited<ReturnType<ReputationRepository['candidates']>>[number];

@Injectable()
export class ReputationRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Lines whose reputation the updater may change: not retired, not in human hands (flagged, banned). */
  candidates() {
    return this.prisma.line.findMany({
      where: { admin: { not: 'retired' }, reputation: { in: ['warming', 'good', 'throttled'] } },
      select: { id: true, admin: true, reputation: true, warmupStartedAt: true, limits: true, node: { select: { healthState: true } } },
      orderBy: { id: 'asc' },
    });
  }
}
