import { Injectable } from '@nestjs/common';
import type { AutomaticRun } from '@bridgefleet/policy/remediation/escalation-ladder.js';
import { PrismaService } from '../database/prisma.service.js';

export interface NodeHealthFacts {
  id: string;
  name: string;
  healthState: 'healthy' | 'degraded' | 'unreachable' | 'unknown';
  hasSshTarget: boolean;
  /** When the node last left `healthy`: the start of the current episode. */
  episodeStart: Date;
}

/** What the ladder needs to know about a node, read fresh on every reconcile (PostgreSQL is the truth). */
@Injectable()
export class AutoRemediationRepository {
  constructor(private readonly prisma: PrismaService) {}

  async nodesInTrouble(): Promise<string[]> {
    const rows = await this.prisma.node.findMany({
      where: { healthState: { in: ['degraded', 'unreachable'] } },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    return rows.map((row) => row.id);
  }

  async nodeFacts(nodeId: string): Promise<NodeHealthFacts | null> {
    const node = await this.prisma.node.findUnique({
      where: { id: nodeId },
      select: { id: true, name: true, healthState: true, sshHost: true, hostKeyFingerprint: true, createdAt: true },
    });
    if (!node) return null;
    // The poller audits every health change in the same transaction as the change, so the
    // last move to healthy is on record; a node never healthy is in trouble since it was added.
    const recovered = await this.prisma.auditEvent.findFirst({
      where: { action: 'node.health', targetType: 'node', targetId: nodeId, detail: { path: ['to'], equals: 'healthy' } },
      orderBy: { id: 'desc' },
      select: { at: true },
    });
    return {
      id: node.id,
      name: node.name,
      healthState: node.healthState,
      hasSshTarget: Boolean(node.sshHost && node.hostKeyFingerprint),
      episodeStart: recovered?.at ?? node.createdAt,
    };
  }

  /** Automatic runs on the node since `since` (the earlier of the episode start and an hour ago). */
  async automaticRuns(nodeId: string, since: Date): Promise<AutomaticRun[]> {
    return this.prisma.remediationRun.findMany({
      where: { nodeId, automatic: true, createdAt: { gte: since } },
      select: { runbook: true, status: true, createdAt: true, finishedAt: true },
      orderBy: { createdAt: 'asc' },
    });
  }
}
