import { ValidationPipe } from '@nestjs/common';

import { fieldErrorsOf, PROBLEM_TYPES, ProblemException } from './problem-details.util';

/**
 * The one validation pipe of every service: unknown fields are refused (not silently dropped,
 * so a misspelt optional field is noticed) and every failing field is reported at once.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new ProblemException(
        400,
        PROBLEM_TYPES.validation,
        'The request has invalid fields',
        fieldErrorsOf(errors),
      ),
  });
}
