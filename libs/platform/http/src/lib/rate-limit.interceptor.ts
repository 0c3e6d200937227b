import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { from, mergeMap } from 'rxjs';

import { principalOf } from '@implant-trace/platform-auth';
import type { RedisConnection } from '@implant-trace/platform-cache';
import { cacheKey } from '@implant-trace/platform-cache';

import { PROBLEM_TYPES, ProblemException } from './problem-details.util';
import type { RateLimit } from './rate-limit.policy';
import { rateWindow, retryAfterSeconds } from './rate-limit.policy';
import { REDIS_CONNECTION, SERVICE_NAME } from './service-platform.tokens';

export const RATE_LIMIT = Symbol('RATE_LIMIT');

/**
 * Per-token (sub) request limit in fixed windows counted in Redis, shared by every instance.
 * Redis being down must not stop theatre recording, so the limiter then lets calls through.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  private readonly logger = new Logger('RateLimit');

  constructor(
    @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection,
    @Inject(RATE_LIMIT) private readonly limit: RateLimit,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal = principalOf(context.switchToHttp().getRequest());
    if (principal === undefined) return next.handle();
    return from(this.check(principal.sub)).pipe(mergeMap(() => next.handle()));
  }

  private async check(sub: string): Promise<void> {
    const window = rateWindow(Date.now(), this.limit.windowSeconds);
    const key = cacheKey(
      this.service,
      'rate-limit',
      encodeURIComponent(sub),
      String(window.windowStart),
    );
    let count: number;
    try {
      const [incremented] = (await this.redis
        .multi()
        .incr(key)
        .expire(key, this.limit.windowSeconds + 1)
        .exec()) as [number, unknown];
      count = incremented;
    } catch (error) {
      this.logger.warn(`rate limit not enforced, Redis unavailable: ${String(error)}`);
      return;
    }
    const retryAfter = retryAfterSeconds(count, this.limit, window);
    if (retryAfter !== undefined) {
      throw new ProblemException(
        429,
        PROBLEM_TYPES.rateLimited,
        `Too many requests for this token; retry after ${retryAfter} s`,
        undefined,
        { 'retry-after': String(retryAfter) },
      );
    }
  }
}
