import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { from, mergeMap } from 'rxjs';

import type { AuditedRoute } from './audited.decorator';
import { AUDITED } from './audited.decorator';
import { AuditTrailRepository } from './audit-trail.repository';
import { principalOf } from './request-principal.util';

export const AUDIT_REQUIRED = Symbol('AUDIT_REQUIRED');

interface AuditedRequest {
  params: Record<string, string>;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** Writes the audit entry of an `@Audited` route; withholds the response if it cannot. */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuditTrailRepository) private readonly trail: AuditTrailRepository,
    @Inject(AUDIT_REQUIRED) private readonly required: boolean,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const route = this.reflector.get<AuditedRoute | undefined>(AUDITED, context.getHandler());
    if (route === undefined) return next.handle();
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    return next.handle().pipe(mergeMap((result) => from(this.audit(route, request, result))));
  }

  private async audit(
    route: AuditedRoute,
    request: AuditedRequest,
    result: unknown,
  ): Promise<unknown> {
    const principal = principalOf(request);
    const requestId = request.headers['x-request-id'];
    try {
      await this.trail.append({
        actorSub: principal?.sub ?? 'anonymous',
        actorRole: principal?.role ?? 'none',
        actorOds: principal?.ods ?? null,
        action: route.action,
        resourceType: route.resourceType,
        resourceIds: route.resourceIds(request, result),
        patientCount: route.patientCount(result),
        requestId: typeof requestId === 'string' ? requestId : null,
      });
    } catch (error) {
      this.logger.error(`audit entry not written for ${route.action}: ${String(error)}`);
      if (this.required) throw new ServiceUnavailableException('The audit trail is unavailable');
    }
    return result;
  }
}
