import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Injectable, InternalServerErrorException, Logger } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { map } from 'rxjs';

import { findPatientIdentifiers } from './patient-identifiers.util';
import { principalOf } from './request-principal.util';

/**
 * Regulators see counts and per-hospital figures only. A response for a regulator that holds
 * a patient identifier is a defect: it is withheld (fail closed) and logged with the paths,
 * never silently trimmed, so the endpoint gets fixed.
 */
@Injectable()
export class PatientDataInterceptor implements NestInterceptor {
  private readonly logger = new Logger('PatientData');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal = principalOf(context.switchToHttp().getRequest());
    if (principal?.role !== 'regulator') return next.handle();
    return next.handle().pipe(
      map((body: unknown) => {
        const paths = findPatientIdentifiers(body);
        if (paths.length === 0) return body;
        this.logger.error(`patient identifiers withheld from a regulator at ${paths.join(', ')}`);
        throw new InternalServerErrorException('Response withheld: it held patient identifiers');
      }),
    );
  }
}
