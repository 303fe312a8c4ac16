import { describe, expect, it } from 'vitest';
import { auditableNode, toNodeView } from './node-view.js';
import type { NodeRow } from './node.repository.js';

const row: NodeRow = {
  id: '6f1c1d7e-3a3b-4d4e-9f00-000000000001',
  name: 'mac-01',
  agentUrl: 'http://10.0.0.1:7000',
  agentToken: 'very-secret-token',
  sshHost: '10.0.0.1',
  sshPort: 22,
  sshUser: 'bridge',
  hostKeyFingerprint: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
  labels: { rack: 'a1' },
  healthState: 'degraded',
  healthChangedAt: new Date('2026-01-01T00:00:00Z'),
  lastReport: { status: 'unhealthy' },
  lastCheckedAt: new Date('2026-01-01T00:00:10Z'),
  consecutiveFailures: 2,
  createdAt: new Date('2025-12-01T00:00:00Z'),
  updatedAt: new Date('2026-01-01T00:00:10Z'),
};

describe('toNodeView', () => {
  it('shows health and SSH but never the agent token', () => {
    const view = toNodeView(row);
    expect(JSON.stringify(view)).not.toContain('very-secret-token');
    expect(JSON.stringify(auditableNode(row))).not.toContain('very-secret-token');
    expect(view.health).toEqual({
      state: 'degraded',
      lastReport: { status: 'unhealthy' },
      lastCheckedAt: '2026-01-01T00:00:10.000Z',
      consecutiveFailures: 2,
      changedAt: '2026-01-01T00:00:00.000Z',
    });
    expect(view.ssh).toEqual({ host: '10.0.0.1', port: 22, user: 'bridge', hostKeyFingerprint: row.hostKeyFingerprint });
  });

  it('shows no SSH target unless every part of it is set', () => {
    expect(toNodeView({ ...row, hostKeyFingerprint: null }).ssh).toBeNull();
    expect(toNodeView({ ...row, sshHost: null, sshPort: null, sshUser: null, hostKeyFingerprint: null }).ssh).toBeNull();
  });
});
