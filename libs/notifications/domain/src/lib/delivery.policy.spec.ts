import fc from 'fast-check';

import {
  circuitOpenUntil,
  decideAfterAttempt,
  DEFAULT_CIRCUIT_POLICY,
  DEFAULT_RETRY_SCHEDULE,
  jittered,
  parseRetryAfter,
} from './delivery.policy';

const now = new Date('2026-12-01T09:00:00Z');
const context = (attempts: number, random = () => 0.5) => ({
  attempts,
  now,
  schedule: DEFAULT_RETRY_SCHEDULE,
  random,
});

describe('decideAfterAttempt', () => {
  it('delivers on any 2xx and on nothing else', () => {
    for (const status of [200, 201, 202, 204, 299]) {
      expect(decideAfterAttempt({ kind: 'response', status }, context(1))).toEqual({
        kind: 'delivered',
      });
    }
    for (const status of [199, 301, 400, 404, 429, 500, 503]) {
      expect(decideAfterAttempt({ kind: 'response', status }, context(1)).kind).toBe('retry');
    }
  });

  it('disables the subscription on 410', () => {
    expect(decideAfterAttempt({ kind: 'response', status: 410 }, context(1)).kind).toBe('disable');
  });

  it('spreads the schedule over about three days, then fails', () => {
    const total = DEFAULT_RETRY_SCHEDULE.reduce((sum, delay) => sum + delay, 0);
    expect(total / 3600_000).toBeGreaterThan(70);
    expect(total / 3600_000).toBeLessThan(80);
    const last = decideAfterAttempt(
      { kind: 'error', message: 'timeout' },
      context(DEFAULT_RETRY_SCHEDULE.length + 1),
    );
    expect(last).toMatchObject({ kind: 'failed' });
  });

  it('waits at least as long as Retry-After asks, up to a day', () => {
    const decision = decideAfterAttempt(
      { kind: 'response', status: 429, retryAfterMs: 3600_000 },
      context(1),
    );
    expect(decision).toEqual({ kind: 'retry', at: new Date(now.getTime() + 3600_000) });
    const capped = decideAfterAttempt(
      { kind: 'response', status: 503, retryAfterMs: 30 * 24 * 3600_000 },
      context(1),
    );
    expect(capped).toEqual({ kind: 'retry', at: new Date(now.getTime() + 24 * 3600_000) });
  });

  it('keeps jitter within a quarter of the nominal delay', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 ** 8 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (d, r) => {
          const value = jittered(d, () => r);
          return value >= Math.floor(d * 0.75) && value <= Math.ceil(d * 1.25);
        },
      ),
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores nonsense', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 09:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('circuitOpenUntil', () => {
  it('stays closed under the threshold, then opens for longer with each failure', () => {
    const threshold = DEFAULT_CIRCUIT_POLICY.failureThreshold;
    expect(circuitOpenUntil(threshold - 1, now, DEFAULT_CIRCUIT_POLICY)).toBeUndefined();
    const first = circuitOpenUntil(threshold, now, DEFAULT_CIRCUIT_POLICY)!;
    const second = circuitOpenUntil(threshold + 1, now, DEFAULT_CIRCUIT_POLICY)!;
    expect(second.getTime() - now.getTime()).toBe(2 * (first.getTime() - now.getTime()));
    const capped = circuitOpenUntil(threshold + 50, now, DEFAULT_CIRCUIT_POLICY)!;
    expect(capped.getTime() - now.getTime()).toBe(DEFAULT_CIRCUIT_POLICY.maxOpenMs);
  });
});
