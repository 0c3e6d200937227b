export { type Clock, systemClock } from './lib/clock';
export { todayInLondon } from './lib/london-date.util';
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
