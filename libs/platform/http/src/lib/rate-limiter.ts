import { Inject, Injectable, Logger } from '@nestjs/common';

import type { RedisConnection } from '@implant-trace/platform-cache';
import { cacheKey } from '@implant-trace/platform-cache';

import { PROBLEM_TYPES, ProblemException } from './problem-details.util';
import type { RateLimit } from './rate-limit.policy';
import { rateWindow, retryAfterSeconds } from './rate-limit.policy';
import { REDIS_CONNECTION, SERVICE_NAME } from './service-platform.tokens';

/** Counts a call and sets the window's expiry in one step (a script, so it is bounded). */
const COUNT_IN_WINDOW = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * After Redis failed to count, the limiter stops asking it for this long: during an outage
 * requests then skip the wait for Redis's deadline altogether, and the warning is logged
 * once per pause instead of once per request.
 */
const PAUSE_AFTER_FAILURE_MS = 1_000;

/**
 * Fixed-window request counting in Redis, shared by every instance of a service. Redis being
 * down or slow must not stop theatre recording, so the limiter then lets calls through: the
 * client's command deadline bounds how long that decision takes.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimit');
  private pausedUntil = 0;

  constructor(
    @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  /**
   * Counts one call by `caller` against `limit`; throws a 429 problem once the caller is over
   * it. `counter` names the kind of limit (`token`, `address`) and `callerDescription` how
   * the problem names the caller.
   */
  async enforce(
    counter: string,
    caller: string,
    limit: RateLimit,
    callerDescription: string,
  ): Promise<void> {
    const now = Date.now();
    if (now < this.pausedUntil) return;
    const window = rateWindow(now, limit.windowSeconds);
    const key = cacheKey(
      this.service,
      `rate-limit-${counter}`,
      encodeURIComponent(caller),
      String(window.windowStart),
    );
    let count: number;
    try {
      count = Number(
        await this.redis.eval(COUNT_IN_WINDOW, {
          keys: [key],
          arguments: [String(limit.windowSeconds + 1)],
        }),
      );
    } catch (error) {
      this.pausedUntil = Date.now() + PAUSE_AFTER_FAILURE_MS;
      this.logger.warn(`${counter} rate limit not enforced, Redis unavailable: ${String(error)}`);
      return;
    }
    const retryAfter = retryAfterSeconds(count, limit, window);
    if (retryAfter !== undefined) {
      throw new ProblemException(
        429,
        PROBLEM_TYPES.rateLimited,
        `Too many requests ${callerDescription}; retry after ${retryAfter} s`,
        undefined,
        { 'retry-after': String(retryAfter) },
      );
    }
  }
}
