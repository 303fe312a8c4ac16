/**
 * When in each poll epoch (one interval) each node is probed. A node's place is
 * a stable hash of its id (so probes spread evenly over the interval and a node
 * keeps its rhythm) plus a little random jitter each epoch (so nodes that hash
 * close together do not stay in lockstep). One sorted list and a cursor per epoch
 * instead of a timer per node: 10,000 nodes cost one sort every interval.
 */
export class ProbeSchedule {
  private order: Array<{ id: string; phase: number }> = [];
  private cursor = 0;
  epoch = -1;

  constructor(
    // ±1 % of the interval: enough to break lockstep; small because N misses to go
    // unreachable take N intervals plus the jitter of N probes (detection within N intervals).
    private readonly jitterFraction = 0.02,
    private readonly random: () => number = Math.random,
  ) {}

  start(epoch: number, nodeIds: readonly string[]): void {
    this.epoch = epoch;
    this.cursor = 0;
    this.order = nodeIds
      .map((id) => ({ id, phase: clampPhase(stablePhase(id) + (this.random() - 0.5) * this.jitterFraction) }))
      .sort((a, b) => a.phase - b.phase);
  }

  /** Nodes whose phase is at or before `fraction` of the epoch and not yet handed out. */
  takeDue(fraction: number): string[] {
    const due: string[] = [];
    while (this.cursor < this.order.length && this.order[this.cursor]!.phase <= fraction) due.push(this.order[this.cursor++]!.id);
    return due;
  }

  /** Everything not yet handed out (the epoch ended before a tick reached them). */
  takeRest(): string[] {
    return this.takeDue(Number.POSITIVE_INFINITY);
  }
}

/** FNV-1a of the id with a final avalanche (ids often differ only in their last characters), mapped to [0, 1). */
export function stablePhase(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}

/**
 * Jitter never carries a node into the next or previous epoch: wrapping a phase of
 * 0.98 round to 0.03 would put two probes of one node a few ms apart.
 */
function clampPhase(phase: number): number {
  return Math.min(Math.max(phase, 0), 0.999);
}
