import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { catchError, from, mergeMap } from 'rxjs';

import { principalOf } from '@implant-trace/platform-auth';

import {
  decideOnStoredKey,
  isAcceptableIdempotencyKey,
  requestFingerprint,
} from './idempotency.policy';
import { IdempotencyKeyRepository } from './idempotency-key.repository';
import { IDEMPOTENT } from './idempotent.decorator';
import { PROBLEM_TYPES, ProblemException } from './problem-details.util';

interface RequestLike {
  method: string;
  originalUrl: string;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  route?: { path?: string };
}

interface ResponseLike {
  statusCode: number;
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

const WAIT_FOR_FIRST_MS = 10_000;
const POLL_MS = 50;

/** Makes `@Idempotent()` routes safe to retry (see the decorator). */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(IdempotencyKeyRepository) private readonly keys: IdempotencyKeyRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (this.reflector.get<boolean>(IDEMPOTENT, context.getHandler()) !== true)
      return next.handle();
    const request = context.switchToHttp().getRequest<RequestLike>();
    const response = context.switchToHttp().getResponse<ResponseLike>();
    const key = request.headers['idempotency-key'];
    if (!isAcceptableIdempotencyKey(key)) {
      throw new ProblemException(
        400,
        PROBLEM_TYPES.idempotencyKeyMissing,
        'This write needs an Idempotency-Key header (1 to 255 printable characters)',
      );
    }
    // Keys are per caller and per route, so two clients can never collide on one.
    const scope = `${principalOf(request)?.sub ?? 'anonymous'} ${request.method} ${request.route?.path ?? request.originalUrl}`;
    const hash = requestFingerprint(request.method, request.originalUrl, request.body);
    return from(this.settle(scope, key, hash)).pipe(
      mergeMap((replay) => {
        if (replay !== undefined) {
          response.setHeader('idempotent-replayed', 'true');
          response.status(replay.status);
          return [replay.body];
        }
        return next.handle().pipe(
          mergeMap((body: unknown) =>
            // Nest sets the route's status before interceptors run and a handler may change
            // it, so the status now is the one this response goes out with.
            from(this.keys.complete(scope, key, response.statusCode, body).then(() => body)),
          ),
          catchError((error: unknown) =>
            from(this.keys.release(scope, key).then(() => Promise.reject(error))),
          ),
        );
      }),
    );
  }

  /** Claims the key, or returns the first request's answer once it has one. */
  private async settle(
    scope: string,
    key: string,
    hash: string,
  ): Promise<{ status: number; body: unknown } | undefined> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      if (await this.keys.claim(scope, key, hash)) return undefined;
      const stored = await this.keys.find(scope, key);
      if (stored !== undefined) {
        const decision = decideOnStoredKey(stored, hash);
        if (decision.kind === 'conflict') {
          throw new ProblemException(
            409,
            PROBLEM_TYPES.idempotencyConflict,
            'This Idempotency-Key was used with a different request',
          );
        }
        if (decision.kind === 'replay') return { status: decision.status, body: decision.body };
      }
      if (Date.now() >= deadline) {
        throw new ProblemException(
          409,
          PROBLEM_TYPES.idempotencyInProgress,
          'A request with this Idempotency-Key is still being processed; retry later',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
