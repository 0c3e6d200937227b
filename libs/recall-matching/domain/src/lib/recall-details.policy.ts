import type { RecallCriteriaValue } from '@implant-trace/contracts';
import { InvalidInputError, type FieldProblem } from '@implant-trace/domain-kernel';
import { validateCriteria } from '@implant-trace/recall-criteria';

export interface RecallTerms {
  criteria: RecallCriteriaValue;
  actionsUnderwayBy?: string;
  actionsCompleteBy?: string;
}

/** A recall the service cannot act on: every problem names its field. */
export class InvalidRecallError extends InvalidInputError {
  constructor(problems: readonly FieldProblem[]) {
    super('The recall is invalid', problems);
  }
}

/**
 * The criteria (as `validateCriteria` checks them) and the deadlines: actions cannot be due to
 * be complete before they are due to be underway.
 */
export function recallTermsProblems(terms: RecallTerms): FieldProblem[] {
  const problems = validateCriteria(terms.criteria, 'criteria');
  const { actionsUnderwayBy, actionsCompleteBy } = terms;
  if (
    actionsUnderwayBy !== undefined &&
    actionsCompleteBy !== undefined &&
    actionsCompleteBy < actionsUnderwayBy
  ) {
    problems.push({
      field: 'actionsCompleteBy',
      message: 'actionsCompleteBy must not be before actionsUnderwayBy',
    });
  }
  return problems;
}

export function assertRecallTerms(terms: RecallTerms): void {
  const problems = recallTermsProblems(terms);
  if (problems.length > 0) throw new InvalidRecallError(problems);
}

/**
 * The time of a recall's next event. Consumers keep the newest change of a recall by its time,
 * so each change must be later than the one before, even when the clock has not moved on (two
 * changes in one millisecond) or has stepped back.
 */
export function nextChangeTime(previous: Date, now: Date): Date {
  return now.getTime() > previous.getTime() ? now : new Date(previous.getTime() + 1);
}
