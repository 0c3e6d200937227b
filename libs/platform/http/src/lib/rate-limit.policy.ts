export interface RateLimit {
  /** Requests allowed per caller per window. */
  limit: number;
  windowSeconds: number;
}

export interface RateWindow {
  /** Identifies the fixed window `now` falls in (its start, in epoch seconds). */
  windowStart: number;
  secondsToReset: number;
}

export function rateWindow(nowMs: number, windowSeconds: number): RateWindow {
  const now = Math.floor(nowMs / 1000);
  const windowStart = now - (now % windowSeconds);
  return { windowStart, secondsToReset: Math.max(1, windowStart + windowSeconds - now) };
}

/** Seconds to wait before retrying, or undefined while the caller is within its limit. */
export function retryAfterSeconds(
  count: number,
  limit: RateLimit,
  window: RateWindow,
): number | undefined {
  return count > limit.limit ? window.secondsToReset : undefined;
}
