/** One failing field of a request or a row, named by its path (`identifiers[1].deviceIdentifier`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * What a rule refused, in the domain's words. Each kind is one answer to the caller (the HTTP
 * filter maps it to a status); a subclass names the rule and may give its own problem type.
 */
export type DomainErrorKind =
  'not-found' | 'conflict' | 'invalid-input' | 'clinically-invalid' | 'too-large';

export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;
  /** A URN naming this problem for clients, when it is more specific than its kind. */
  readonly problemType: string | undefined = undefined;

  constructor(
    message: string,
    readonly problems: readonly FieldProblem[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** What was asked for does not exist. */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
}

/** The request contradicts what is already recorded (an identifier owned by another device). */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** The request is malformed: a bad cursor, an unreadable file. */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid-input';
}

/** The request is well formed but breaks a clinical rule (a wrong check digit). */
export class ClinicallyInvalidError extends DomainError {
  readonly kind = 'clinically-invalid';
}

/** The input is larger than the service accepts. */
export class TooLargeError extends DomainError {
  readonly kind = 'too-large';
}
