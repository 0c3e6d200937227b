import type { RecallCriteriaValue } from '@implant-trace/contracts';
import { InvalidInputError, type FieldProblem } from '@implant-trace/domain-kernel';
import { validateCriteria } from '@implant-trace/recall-criteria';
import { normaliseAnyDeviceIdentifier } from '@implant-trace/udi';

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

/**
 * The terms in the form matching needs, or every problem with them. Criteria compare device
 * identifiers exactly, in the catalogue's stored form: a regulator who types the EAN-13 printed
 * on a box, or a HIBC code in lower case, must still select the device, so each identifier is
 * normalised as the registry normalises it (and one no agency issues is refused, never left to
 * match nothing).
 */
export function prepareRecallTerms<T extends RecallTerms>(terms: T): T {
  const identifierProblems: FieldProblem[] = [];
  let criteria = terms.criteria;
  if (criteria.deviceIdentifiers !== undefined) {
    const normalised = criteria.deviceIdentifiers.map((raw, index) => {
      const check = normaliseAnyDeviceIdentifier(raw);
      if (check.ok) return check.value;
      identifierProblems.push({
        field: `criteria.deviceIdentifiers[${index}]`,
        message: check.message,
      });
      return raw;
    });
    criteria = { ...criteria, deviceIdentifiers: [...new Set(normalised)] };
  }
  const prepared = { ...terms, criteria };
  const problems = [...identifierProblems, ...recallTermsProblems(prepared)];
  if (problems.length > 0) throw new InvalidRecallError(problems);
  return prepared;
}

/**
 * The time of a recall's next event. Consumers keep the newest change of a recall by its time,
 * so each change must be later than the one before, even when the clock has not moved on (two
 * changes in one millisecond) or has stepped back.
 */
export function nextChangeTime(previous: Date, now: Date): Date {
  return now.getTime() > previous.getTime() ? now : new Date(previous.getTime() + 1);
}
