/** The service's Redis connection (locks, rate limits, hot lookups). */
export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');
/** The service's name, e.g. `implant-events`: prefixes cache keys and labels logs. */
export const SERVICE_NAME = Symbol('SERVICE_NAME');

/** How long idempotency keys are held and kept (from the service's config). */
export interface IdempotencyOptions {
  /** An in-flight key may be taken over this long after it was claimed (its request crashed). */
  leaseSeconds: number;
  /** Completed keys, and the answers stored with them, are purged this long after completion. */
  retentionSeconds: number;
  purgeIntervalSeconds: number;
}
export const IDEMPOTENCY_OPTIONS = Symbol('IDEMPOTENCY_OPTIONS');
