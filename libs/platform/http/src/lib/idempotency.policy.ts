import { createHash } from 'node:crypto';

export interface StoredIdempotencyKey {
  requestHash: string;
  state: 'in-flight' | 'completed';
  responseStatus: number | null;
  responseBody: unknown;
}

export type IdempotencyDecision =
  { kind: 'replay'; status: number; body: unknown } | { kind: 'conflict' } | { kind: 'wait' };

/**
 * What to do with a request whose key is already stored: a different request under the same
 * key is a client error (409); the same request gets the first answer, once there is one.
 */
export function decideOnStoredKey(
  stored: StoredIdempotencyKey,
  requestHash: string,
): IdempotencyDecision {
  if (stored.requestHash !== requestHash) return { kind: 'conflict' };
  if (stored.state === 'in-flight') return { kind: 'wait' };
  return { kind: 'replay', status: stored.responseStatus ?? 200, body: stored.responseBody };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}

/** Fingerprint of a request: its target and its body, key order ignored. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([method, url, canonical(body ?? null)]))
    .digest('hex');
}

const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

export function isAcceptableIdempotencyKey(key: unknown): key is string {
  return typeof key === 'string' && KEY_SHAPE.test(key);
}
