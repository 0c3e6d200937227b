import { HttpException } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

import type { DomainErrorKind } from '@implant-trace/domain-kernel';
import { DomainError } from '@implant-trace/domain-kernel';

export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, the body of every error answer (`application/problem+json`). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const GENERIC_DETAIL: Record<number, string> = {
  413: 'The request body is larger than this service accepts',
  500: 'The request could not be completed; it has been logged',
};

/** An error that already knows its problem type, detail and failing fields. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly problemType: string,
    detail: string,
    readonly fieldErrors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail, status);
  }
}

export function titleOf(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}

function detailOfHttpException(error: HttpException): string {
  const body = error.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : error.message;
}

/** The status an express/body-parser error carries when it is safe to expose (http-errors). */
function exposedClientStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true
    ? status
    : undefined;
}

/**
 * Maps anything thrown while serving a request to the problem it answers with: domain errors
 * of the use cases by their kind, HTTP exceptions of the platform by their status. Server
 * errors never carry their message or stack: those go to the log only.
 */
export function problemFromError(error: unknown): ProblemDetails {
  if (error instanceof DomainError) return problemFromDomainError(error);
  if (error instanceof ProblemException) {
    const status = error.getStatus();
    return {
      type: error.problemType,
      title: titleOf(status),
      status,
      detail: detailOfHttpException(error),
      ...(error.fieldErrors === undefined ? {} : { errors: error.fieldErrors }),
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const detail = status >= 500 ? (GENERIC_DETAIL[500] ?? '') : detailOfHttpException(error);
    return { type: 'about:blank', title: titleOf(status), status, detail };
  }
  const clientStatus = exposedClientStatus(error);
  if (clientStatus !== undefined) {
    return {
      type: 'about:blank',
      title: titleOf(clientStatus),
      status: clientStatus,
      detail: GENERIC_DETAIL[clientStatus] ?? titleOf(clientStatus),
    };
  }
  return {
    type: 'about:blank',
    title: titleOf(500),
    status: 500,
    detail: GENERIC_DETAIL[500] ?? '',
  };
}

/**
 * The messages of one property. class-validator adds "nested property … must be either object or
 * array" beside the property's own `IsObject` message; one message per fault is enough.
 */
function ownMessages(error: ValidationError): string[] {
  const { nestedValidation, ...others } = error.constraints ?? {};
  const messages = Object.values(others);
  return messages.length > 0 || nestedValidation === undefined ? messages : [nestedValidation];
}

/** Every failing field of a validated body, nested paths included (`patient.nhsNumber`, `items[0].lot`). */
export function fieldErrorsOf(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent === ''
        ? error.property
        : `${parent}.${error.property}`;
    const own = ownMessages(error).map((message) => ({
      field,
      message: message.replace(/^property \S+ /, 'property '),
    }));
    return [...own, ...fieldErrorsOf(error.children ?? [], field)];
  });
}

export const PROBLEM_TYPES = {
  validation: 'urn:implant-trace:problem:validation-failed',
  clinicallyInvalid: 'urn:implant-trace:problem:clinically-invalid',
  idempotencyConflict: 'urn:implant-trace:problem:idempotency-key-reused',
  idempotencyInProgress: 'urn:implant-trace:problem:idempotency-key-in-progress',
  idempotencyKeyMissing: 'urn:implant-trace:problem:idempotency-key-missing',
  rateLimited: 'urn:implant-trace:problem:rate-limited',
} as const;

/** The one answer each kind of domain error gets (API.md, "Errors"). */
const DOMAIN_ERROR_ANSWERS: Record<DomainErrorKind, { status: number; type: string }> = {
  'invalid-input': { status: 400, type: PROBLEM_TYPES.validation },
  'not-found': { status: 404, type: 'about:blank' },
  conflict: { status: 409, type: 'about:blank' },
  'too-large': { status: 413, type: 'about:blank' },
  'clinically-invalid': { status: 422, type: PROBLEM_TYPES.clinicallyInvalid },
};

function problemFromDomainError(error: DomainError): ProblemDetails {
  const answer = DOMAIN_ERROR_ANSWERS[error.kind];
  return {
    type: error.problemType ?? answer.type,
    title: titleOf(answer.status),
    status: answer.status,
    detail: error.message,
    ...(error.problems.length === 0 ? {} : { errors: [...error.problems] }),
  };
}
