import { describe, expect, it } from 'vitest';
import { canAdvance, statusesBefore } from './message-status.js';

describe('message status moves only forward', () => {
  it.each([
    ['queued', 'assigned', true],
    ['assigned', 'sending', true],
    ['sending', 'sent', true],
    ['sent', 'delivered', true],
    ['delivered', 'read', true],
    ['sent', 'read', true],
    ['queued', 'sending', true],
    ['read', 'delivered', false],
    ['delivered', 'sent', false],
    ['sent', 'sending', false],
    ['sent', 'sent', false],
    ['queued', 'canceled', true],
    ['assigned', 'canceled', true],
    ['sending', 'canceled', false],
    ['assigned', 'expired', true],
    ['sending', 'expired', false],
    ['sending', 'failed', true],
    ['sent', 'undeliverable', true],
    ['delivered', 'failed', false],
    ['failed', 'sent', false],
    ['canceled', 'assigned', false],
    ['expired', 'queued', false],
  ])('%s → %s is %s', (from, to, allowed) => {
    expect(canAdvance(from, to)).toBe(allowed);
  });

  it('lists the statuses a compare-and-set may start from', () => {
    expect(statusesBefore('sending')).toEqual(['queued', 'assigned']);
    expect(statusesBefore('canceled')).toEqual(['queued', 'assigned']);
    expect(statusesBefore('delivered')).toEqual(['queued', 'assigned', 'sending', 'sent']);
  });
});
