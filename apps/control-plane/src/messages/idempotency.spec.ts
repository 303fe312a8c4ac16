import { describe, expect, it } from 'vitest';
import { canonicalJson, parseIdempotencyKey, requestHash } from './idempotency.js';

describe('idempotency', () => {
  it('hashes bodies independently of key order, but not of values', () => {
    expect(requestHash({ to: '+14155550123', body: 'hi', metadata: { b: 1, a: 2 } })).toBe(
      requestHash({ metadata: { a: 2, b: 1 }, body: 'hi', to: '+14155550123' }),
    );
    expect(requestHash({ to: '+14155550123', body: 'hi' })).not.toBe(requestHash({ to: '+14155550123', body: 'hi!' }));
    expect(canonicalJson({ b: [1, { d: 1, c: null }], a: 'x' })).toBe('{"a":"x","b":[1,{"c":null,"d":1}]}');
  });

  it('accepts printable keys of 1-255 characters and refuses others', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
    expect(parseIdempotencyKey('order-42 retry')).toBe('order-42 retry');
    expect(() => parseIdempotencyKey('')).toThrow();
    expect(() => parseIdempotencyKey('x'.repeat(256))).toThrow();
    expect(() => parseIdempotencyKey('bad\u0007key')).toThrow();
  });
});
