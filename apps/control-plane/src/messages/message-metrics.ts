import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { PrismaService } from '../database/prisma.service.js';
import { MetricsService } from '../metrics/metrics.service.js';

// A message in `sending` for longer than this has most likely lost its answer.
const STUCK_SENDING_SECONDS = 300;

/**
 * Message metrics (catalogue: docs/metrics.md). Labels are direction and status only:
 * both are closed enums, so the series count is fixed whatever the traffic.
 */
@Injectable()
export class MessageMetrics {
  readonly transitions: Counter<'direction' | 'status'>;
  readonly dispatchLatency: Histogram;

  constructor(metrics: MetricsService, prisma: PrismaService) {
    const registers = [metrics.registry];
    this.transitions = new Counter({
      name: 'bridgefleet_messages_total',
      help: 'Messages entering each status, by direction (outbound: queued … read or a terminal failure; inbound: received).',
      labelNames: ['direction', 'status'] as const,
      registers,
    });
    this.dispatchLatency = new Histogram({
      name: 'bridgefleet_dispatch_latency_seconds',
      help: 'Time from intake (queued) to sent for outbound messages, waits on the governor included.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    });
    new Gauge({
      name: 'bridgefleet_messages_waiting',
      help: 'Outbound messages not yet handed to a Mac, by status (queued, assigned), counted in PostgreSQL at scrape time.',
      labelNames: ['status'] as const,
      registers,
      async collect() {
        const rows = await prisma.message.groupBy({
          by: ['status'],
          where: { direction: 'outbound', status: { in: ['queued', 'assigned'] } },
          _count: { _all: true },
        });
        this.reset();
        for (const status of ['queued', 'assigned'] as const) {
          this.set({ status }, rows.find((row) => row.status === status)?._count._all ?? 0);
        }
      },
    });
    new Gauge({
      name: 'bridgefleet_messages_oldest_waiting_seconds',
      help: 'Age of the oldest outbound message still queued or assigned (0 when none waits).',
      registers,
      async collect() {
        const oldest = await prisma.message.findFirst({
          where: { direction: 'outbound', status: { in: ['queued', 'assigned'] } },
          orderBy: { createdAt: 'asc' },
          select: { createdAt: true },
        });
        this.set(oldest ? Math.max(0, (Date.now() - oldest.createdAt.getTime()) / 1000) : 0);
      },
    });
    new Gauge({
      name: 'bridgefleet_messages_stuck_sending',
      help: `Outbound messages in sending for more than ${STUCK_SENDING_SECONDS} s (the agent's answer is overdue).`,
      registers,
      async collect() {
        const before = new Date(Date.now() - STUCK_SENDING_SECONDS * 1000);
        this.set(await prisma.message.count({ where: { direction: 'outbound', status: 'sending', updatedAt: { lt: before } } }));
      },
    });
  }

  /** Count a message entering `status`; for `sent`, observe how long it took since intake. */
  entered(direction: string, status: string, createdAt?: Date, at: Date = new Date()): void {
    this.transitions.inc({ direction, status });
    if (status === 'sent' && direction === 'outbound' && createdAt) {
      this.dispatchLatency.observe(Math.max(0, (at.getTime() - createdAt.getTime()) / 1000));
    }
  }
}
