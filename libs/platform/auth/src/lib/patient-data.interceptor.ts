import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Inject, Injectable, InternalServerErrorException, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { map } from 'rxjs';

import { findPatientIdentifiers, maskNhsNumbersInText } from './patient-identifiers.util';
import { REGULATOR_FACING } from './regulator-facing.decorator';
import { principalOf } from './request-principal.util';

/**
 * Regulators see counts and per-hospital figures only. A response for a regulator that holds
 * a patient identifier is a defect: it is withheld (fail closed) and logged with the paths,
 * never silently trimmed, so the endpoint gets fixed. One exception: a `@RegulatorFacing()`
 * route's type has no patient field, so an NHS number there can only be inside free text (an
 * import rejection quoting a mistyped identifier); it is masked and logged instead, because
 * withholding would hide the rest (which rows were rejected) from the regulator.
 */
@Injectable()
export class PatientDataInterceptor implements NestInterceptor {
  private readonly logger = new Logger('PatientData');

  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const principal = principalOf(context.switchToHttp().getRequest());
    if (principal?.role !== 'regulator') return next.handle();
    const regulatorFacing =
      this.reflector.get<boolean>(REGULATOR_FACING, context.getHandler()) === true;
    return next.handle().pipe(
      map((body: unknown) => {
        const paths = findPatientIdentifiers(body);
        if (paths.length === 0) return body;
        if (regulatorFacing) {
          const masked = maskNhsNumbersInText(body);
          if (findPatientIdentifiers(masked).length === 0) {
            this.logger.error(
              `NHS numbers masked in a regulator-facing response at ${paths.join(', ')}`,
            );
            return masked;
          }
        }
        this.logger.error(`patient identifiers withheld from a regulator at ${paths.join(', ')}`);
        throw new InternalServerErrorException('Response withheld: it held patient identifiers');
      }),
    );
  }
}
