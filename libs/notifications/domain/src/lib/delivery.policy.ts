/** How long to wait before each retry, in ms; the length is the number of retries. */
export type RetrySchedule = readonly number[];

/**
 * Standard Webhooks' own schedule, stretched so that an endpoint down for a weekend still
 * gets its notices: 15 attempts over about three days (75 h before jitter).
 */
export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = [
  5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000,
  43_200_000, 43_200_000, 43_200_000, 43_200_000, 43_200_000,
];

/** A Retry-After longer than this is read as this: a day's silence, then ask again. */
export const MAX_RETRY_AFTER_MS = 24 * 3600_000;

export type AttemptResult =
  { kind: 'response'; status: number; retryAfterMs?: number } | { kind: 'error'; message: string };

export type AttemptDecision =
  | { kind: 'delivered' }
  | { kind: 'retry'; at: Date }
  | { kind: 'failed'; reason: string }
  /** The endpoint said it is gone for good (410): stop sending to it at all. */
  | { kind: 'disable'; reason: string };

export interface AttemptContext {
  /** Attempts made so far, this one included. */
  attempts: number;
  now: Date;
  schedule: RetrySchedule;
  /** In [0, 1): spreads retries so that endpoints coming back are not hit all at once. */
  random: () => number;
}

/** Up to a quarter either side of the nominal delay. */
export function jittered(delayMs: number, random: () => number): number {
  return Math.round(delayMs * (0.75 + random() * 0.5));
}

/**
 * What follows one attempt: only a 2xx delivers; 410 disables the subscription; anything else
 * is retried after the schedule's next delay (never sooner than the endpoint's Retry-After)
 * until the schedule is spent.
 */
export function decideAfterAttempt(
  result: AttemptResult,
  context: AttemptContext,
): AttemptDecision {
  if (result.kind === 'response' && result.status >= 200 && result.status < 300) {
    return { kind: 'delivered' };
  }
  if (result.kind === 'response' && result.status === 410) {
    return { kind: 'disable', reason: 'the endpoint answered 410 Gone' };
  }
  const reason = result.kind === 'error' ? result.message : `HTTP ${result.status}`;
  const delay = context.schedule[context.attempts - 1];
  if (delay === undefined) {
    return { kind: 'failed', reason: `${context.attempts} attempts, the last: ${reason}` };
  }
  const retryAfter =
    result.kind === 'response' ? Math.min(result.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS) : 0;
  const wait = Math.max(jittered(delay, context.random), retryAfter);
  return { kind: 'retry', at: new Date(context.now.getTime() + wait) };
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

export interface CircuitPolicy {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit first stays open; doubles with each further failure. */
  openMs: number;
  maxOpenMs: number;
}

export const DEFAULT_CIRCUIT_POLICY: CircuitPolicy = {
  failureThreshold: 5,
  openMs: 30_000,
  maxOpenMs: 30 * 60_000,
};

/**
 * Until when an endpoint is left alone after a failure, so that its queue waits instead of
 * taking workers from healthy endpoints; undefined while under the threshold.
 */
export function circuitOpenUntil(
  consecutiveFailures: number,
  now: Date,
  policy: CircuitPolicy,
): Date | undefined {
  if (consecutiveFailures < policy.failureThreshold) return undefined;
  const doublings = Math.min(consecutiveFailures - policy.failureThreshold, 20);
  const open = Math.min(policy.openMs * 2 ** doublings, policy.maxOpenMs);
  return new Date(now.getTime() + open);
}
