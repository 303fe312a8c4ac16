import { describe, expect, it } from 'vitest';
import { judgeTry, parseRetrySchedule } from './retry-schedule.js';

describe('parseRetrySchedule', () => {
  it('reads durations with units', () => {
    expect(parseRetrySchedule('5s, 30s,2m,1h,20ms')).toEqual([5_000, 30_000, 120_000, 3_600_000, 20]);
  });
  it('refuses garbage', () => {
    expect(() => parseRetrySchedule('5s,soon')).toThrow(/soon/);
  });
});

describe('judgeTry', () => {
  const schedule = [1_000, 10_000];
  const half = () => 0.5;

  it.each([
    [{ statusCode: 200 }, 1, { status: 'succeeded' }],
    [{ statusCode: 204 }, 3, { status: 'succeeded' }],
    [{ statusCode: 410 }, 1, { status: 'gone' }],
    [{ statusCode: 400 }, 1, { status: 'failed' }],
    [{ statusCode: 404 }, 1, { status: 'failed' }],
    [{ statusCode: 500 }, 1, { status: 'pending', retryInMs: 500 }],
    [{ statusCode: 429 }, 2, { status: 'pending', retryInMs: 5_000 }],
    [{ statusCode: 503 }, 3, { status: 'dead' }],
    [{ error: 'ECONNREFUSED' }, 1, { status: 'pending', retryInMs: 500 }],
    [{ error: 'timeout' }, 3, { status: 'dead' }],
  ] as const)('%j on try %i → %j', (result, attempts, verdict) => {
    expect(judgeTry(result, attempts, schedule, half)).toEqual(verdict);
  });

  it('jitters over the whole interval (full jitter)', () => {
    expect(judgeTry({ statusCode: 500 }, 1, schedule, () => 0)).toEqual({ status: 'pending', retryInMs: 0 });
    expect(judgeTry({ statusCode: 500 }, 1, schedule, () => 0.999)).toEqual({ status: 'pending', retryInMs: 999 });
  });
});
