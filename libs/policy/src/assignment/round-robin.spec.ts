import { describe, expect, it } from 'vitest';
import { pickRoundRobin } from './round-robin.js';

const lines = (...flags: boolean[]) => flags.map((acceptsNewContacts, i) => ({ id: `line-${i}`, acceptsNewContacts }));

describe('pickRoundRobin', () => {
  it('walks the ring in id order from the cursor', () => {
    const ring = lines(true, true, true);
    const picks: string[] = [];
    let cursor = 0;
    for (let i = 0; i < 6; i += 1) {
      const pick = pickRoundRobin(ring, cursor)!;
      picks.push(pick.lineId);
      cursor = pick.nextCursor;
    }
    expect(picks).toEqual(['line-0', 'line-1', 'line-2', 'line-0', 'line-1', 'line-2']);
  });

  it('skips lines without headroom and wraps around', () => {
    expect(pickRoundRobin(lines(true, false, false), 1)).toEqual({ lineId: 'line-0', nextCursor: 1 });
    expect(pickRoundRobin(lines(false, false, true), 0)).toEqual({ lineId: 'line-2', nextCursor: 3 });
  });

  it('gives nothing when no line may take a new contact', () => {
    expect(pickRoundRobin(lines(false, false), 5)).toBeUndefined();
    expect(pickRoundRobin([], 0)).toBeUndefined();
  });

  it('does not depend on the order lines are listed in', () => {
    const ring = lines(true, true, true);
    expect(pickRoundRobin([...ring].reverse(), 1)).toEqual(pickRoundRobin(ring, 1));
  });

  it('treats any cursor value, even negative or huge, as a ring position', () => {
    expect(pickRoundRobin(lines(true, true), 7)!.lineId).toBe('line-1');
    expect(pickRoundRobin(lines(true, true), -1)!.lineId).toBe('line-1');
  });
});
