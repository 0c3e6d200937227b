import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, InternalServerErrorException, Logger } from '@nestjs/common';

import { findPatientIdentifiers, principalOf } from '@implant-trace/platform-auth';

import type { ProblemDetails } from './problem-details.util';
import { problemFromError, ProblemException } from './problem-details.util';

interface ResponseLike {
  headersSent: boolean;
  status(code: number): ResponseLike;
  setHeader(name: string, value: string): unknown;
  send(body: string): unknown;
}

/** Answers every error, from any layer (body parser, guard, pipe, handler, 404), as problem+json. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ResponseLike>();
    const problem = this.withheldFromRegulator(
      problemFromError(error),
      host.switchToHttp().getRequest(),
    );
    if (problem.status >= 500) {
      this.logger.error(
        error instanceof Error ? error.message : String(error),
        error instanceof Error ? error.stack : undefined,
      );
    }
    if (response.headersSent) return;
    if (error instanceof ProblemException) {
      for (const [name, value] of Object.entries(error.headers)) response.setHeader(name, value);
    }
    response.setHeader('content-type', 'application/problem+json; charset=utf-8');
    response.status(problem.status).send(JSON.stringify(problem));
  }

  /** Error answers reach regulators under the same rule as success answers (PatientDataInterceptor). */
  private withheldFromRegulator(problem: ProblemDetails, request: unknown): ProblemDetails {
    if (principalOf(request)?.role !== 'regulator') return problem;
    const paths = findPatientIdentifiers(problem);
    if (paths.length === 0) return problem;
    this.logger.error(
      `patient identifiers withheld from a regulator's error at ${paths.join(', ')}`,
    );
    return problemFromError(new InternalServerErrorException());
  }
}
