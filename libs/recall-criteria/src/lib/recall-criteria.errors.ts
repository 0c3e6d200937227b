import { InvalidInputError, type FieldProblem } from '@implant-trace/domain-kernel';

/** Criteria that `validateCriteria` refuses cannot be evaluated: each problem names its field. */
export class InvalidCriteriaError extends InvalidInputError {
  constructor(problems: readonly FieldProblem[]) {
    super('the recall criteria are invalid', problems);
  }
}
