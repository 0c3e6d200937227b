import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { from, mergeMap } from 'rxjs';

import { principalOf } from '@implant-trace/platform-auth';

import type { RateLimit } from './rate-limit.policy';
import { RateLimiter } from './rate-limiter';

export const RATE_LIMIT = Symbol('RATE_LIMIT');

/** Per-token (sub) request limit, counted once the token is verified. */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(RATE_LIMIT) private readonly limit: RateLimit,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal = principalOf(context.switchToHttp().getRequest());
    if (principal === undefined) return next.handle();
    return from(this.limiter.enforce('token', principal.sub, this.limit, 'for this token')).pipe(
      mergeMap(() => next.handle()),
    );
  }
}
