import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { from, lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';

import { principalOf } from '@implant-trace/platform-auth';
import { inRequestTransaction } from '@implant-trace/platform-database';

import {
  decideOnStoredKey,
  isAcceptableIdempotencyKey,
  requestFingerprint,
} from './idempotency.policy';
import type { IdempotencyLease } from './idempotency-key.repository';
import { IdempotencyKeyRepository, IdempotencyLeaseLostError } from './idempotency-key.repository';
import { IDEMPOTENT } from './idempotent.decorator';
import { PROBLEM_TYPES, ProblemException } from './problem-details.util';
import type { IdempotencyOptions } from './service-platform.tokens';
import { IDEMPOTENCY_OPTIONS } from './service-platform.tokens';

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

type Settled =
  { kind: 'first'; lease: IdempotencyLease } | { kind: 'replay'; status: number; body: unknown };

/**
 * Makes `@Idempotent()` routes safe to retry (see the decorator). It runs closest to the
 * handler, inside the patient-data check and the audit interceptor, so a replay is checked
 * and audited exactly like a first answer.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(IdempotencyKeyRepository) private readonly keys: IdempotencyKeyRepository,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(IDEMPOTENCY_OPTIONS) private readonly options: IdempotencyOptions,
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
    return from(this.answer(scope, key, hash, next, response));
  }

  private async answer(
    scope: string,
    key: string,
    hash: string,
    next: CallHandler,
    response: ResponseLike,
  ): Promise<unknown> {
    const settled = await this.settle(scope, key, hash);
    if (settled.kind === 'replay') {
      response.setHeader('idempotent-replayed', 'true');
      response.status(settled.status);
      return settled.body;
    }
    try {
      // The handler's use cases join this transaction (UnitOfWork), so the effect and the
      // completed key commit together or not at all.
      return await inRequestTransaction(this.dataSource, async (transaction) => {
        const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        // Nest sets the route's status before interceptors run and a handler may change
        // it, so the status now is the one this response goes out with.
        await this.keys.complete(await transaction(), settled.lease, response.statusCode, body);
        return body;
      });
    } catch (error) {
      // If the release fails too, the lease still frees the key; the client hears the cause.
      await this.keys.release(settled.lease).catch(() => undefined);
      if (error instanceof IdempotencyLeaseLostError) {
        // Its effect rolled back; the request that took the key over answers the retry.
        throw new ProblemException(
          409,
          PROBLEM_TYPES.idempotencyInProgress,
          'This request outlived its Idempotency-Key lease and was not applied; retry to get the answer',
        );
      }
      throw error;
    }
  }

  /** Claims the key, or returns the first request's answer once it has one. */
  private async settle(scope: string, key: string, hash: string): Promise<Settled> {
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const lease = await this.keys.claim(scope, key, hash, this.options.leaseSeconds);
      if (lease !== undefined) return { kind: 'first', lease };
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
        if (decision.kind === 'replay') {
          return { kind: 'replay', status: decision.status, body: decision.body };
        }
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
