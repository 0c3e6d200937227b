import {
  decideOnStoredKey,
  isAcceptableIdempotencyKey,
  requestFingerprint,
} from './idempotency.policy';

describe('idempotency policy', () => {
  const hash = requestFingerprint('POST', '/v1/implants', { a: 1, b: [1, 2] });

  it('fingerprints a request independently of key order, but not of content or target', () => {
    expect(requestFingerprint('POST', '/v1/implants', { b: [1, 2], a: 1 })).toBe(hash);
    expect(requestFingerprint('POST', '/v1/implants', { a: 2, b: [1, 2] })).not.toBe(hash);
    expect(requestFingerprint('POST', '/v1/other', { a: 1, b: [1, 2] })).not.toBe(hash);
  });

  it('replays the first answer, refuses another body and waits for one in flight', () => {
    const completed = {
      requestHash: hash,
      state: 'completed' as const,
      responseStatus: 201,
      responseBody: { id: 1 },
    };
    expect(decideOnStoredKey(completed, hash)).toEqual({
      kind: 'replay',
      status: 201,
      body: { id: 1 },
    });
    expect(decideOnStoredKey(completed, 'other')).toEqual({ kind: 'conflict' });
    expect(decideOnStoredKey({ ...completed, state: 'in-flight' }, hash)).toEqual({ kind: 'wait' });
  });

  it('accepts printable keys up to 255 characters', () => {
    expect(isAcceptableIdempotencyKey('0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e1f')).toBe(true);
    expect(isAcceptableIdempotencyKey('')).toBe(false);
    expect(isAcceptableIdempotencyKey('has space')).toBe(false);
    expect(isAcceptableIdempotencyKey('x'.repeat(256))).toBe(false);
  });
});
