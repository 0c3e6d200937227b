export { type Clock, systemClock } from './lib/clock';
export {
  ClinicallyInvalidError,
  ConflictError,
  DomainError,
  type DomainErrorKind,
  type FieldProblem,
  InvalidInputError,
  NotFoundError,
  TooLargeError,
} from './lib/domain-error';
