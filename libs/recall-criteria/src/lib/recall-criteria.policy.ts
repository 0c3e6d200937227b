import type { DateWindowValue } from '@implant-trace/contracts';

import { validateCriteria } from './criteria-validation.util';
import { InvalidCriteriaError } from './recall-criteria.errors';
import type {
  CriteriaOutcome,
  CriteriaSubject,
  PossibleBecause,
  RecallCriteria,
} from './recall-criteria.types';
import { serialInRange, serialRangeRule, type SerialRangeRule } from './serial-order.util';

/**
 * Manufacturer, model and catalogue-number comparison: trimmed, runs of white space as one space,
 * case-insensitive. People type these (in the registry, in a field safety notice); "Acme
 * Orthopaedics " and "ACME orthopaedics" name the same maker, and missing a patient over a
 * capital letter is the worse error. Lots and serials are compared exactly instead: GS1 lot and
 * serial numbers are case-sensitive, `ab12` and `AB12` are different units.
 */
export function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** One criterion's verdict on one subject: decided, or undecidable for a named reason. */
type Check = 'yes' | 'no' | PossibleBecause;
type SubjectCheck = (subject: CriteriaSubject) => Check;

const present = (value: string | undefined): value is string => value !== undefined && value !== '';

function productionCheck(
  field: 'lotNumber' | 'serialNumber' | 'manufactureDate' | 'expirationDate',
  accepts: (value: string) => boolean,
): SubjectCheck {
  return (subject) => {
    const value = subject[field];
    if (present(value)) return accepts(value) ? 'yes' : 'no';
    const carried = subject.labelCarries?.[field];
    return { field, reason: carried === false ? 'label-does-not-carry' : 'not-captured' };
  };
}

function catalogueCheck(
  field: 'catalogNumber' | 'manufacturer' | 'model',
  accepted: ReadonlySet<string>,
): SubjectCheck {
  return ({ device }) => {
    if (!device.inCatalogue) return { field, reason: 'device-not-in-catalogue' };
    const value = device[field];
    if (value === undefined || value.trim() === '') {
      return { field, reason: 'not-in-device-record' };
    }
    return accepted.has(normaliseName(value)) ? 'yes' : 'no';
  };
}

function deviceIdentifierCheck(accepted: ReadonlySet<string>): SubjectCheck {
  return ({ device }) => {
    if (device.identifiers.some((identifier) => accepted.has(identifier))) return 'yes';
    // An identifier the catalogue does not know may be a packaging level of a recalled device
    // whose record has not arrived yet: undecidable, not a miss.
    return device.inCatalogue
      ? 'no'
      : { field: 'deviceIdentifier', reason: 'device-not-in-catalogue' };
  };
}

/** YYYY-MM-DD strings order as the days they name, so each end is a plain comparison. */
function withinWindow(window: DateWindowValue): (day: string) => boolean {
  return (day) =>
    (window.from === undefined || window.from <= day) &&
    (window.to === undefined || day <= window.to);
}

/** A recall's criteria, checked once and prepared to evaluate many subjects. */
export interface CriteriaMatcher {
  evaluate(subject: CriteriaSubject): CriteriaOutcome;
}

function checksOf(criteria: RecallCriteria): SubjectCheck[] {
  const checks: SubjectCheck[] = [];
  const names = (values: readonly string[]): Set<string> => new Set(values.map(normaliseName));
  if (criteria.deviceIdentifiers !== undefined) {
    checks.push(deviceIdentifierCheck(new Set(criteria.deviceIdentifiers)));
  }
  if (criteria.catalogNumbers !== undefined) {
    checks.push(catalogueCheck('catalogNumber', names(criteria.catalogNumbers)));
  }
  if (criteria.manufacturer !== undefined) {
    checks.push(catalogueCheck('manufacturer', names([criteria.manufacturer])));
  }
  if (criteria.models !== undefined) {
    checks.push(catalogueCheck('model', names(criteria.models)));
  }
  if (criteria.lotNumbers !== undefined) {
    const lots = new Set(criteria.lotNumbers);
    checks.push(productionCheck('lotNumber', (lot) => lots.has(lot)));
  }
  // A serial list and serial ranges are one constraint on the serial, OR-ed: a notice that lists
  // some serials and some ranges covers the units in either. AND-ing them would cover only units
  // in both, missing every patient whose serial is only in a range.
  if (criteria.serialNumbers !== undefined || criteria.serialRanges !== undefined) {
    const serials = new Set(criteria.serialNumbers ?? []);
    const rules: SerialRangeRule[] = (criteria.serialRanges ?? []).map(serialRangeRule);
    checks.push(
      productionCheck(
        'serialNumber',
        (serial) => serials.has(serial) || rules.some((rule) => serialInRange(serial, rule)),
      ),
    );
  }
  if (criteria.manufacturedBetween !== undefined) {
    checks.push(productionCheck('manufactureDate', withinWindow(criteria.manufacturedBetween)));
  }
  if (criteria.expiresBetween !== undefined) {
    checks.push(productionCheck('expirationDate', withinWindow(criteria.expiresBetween)));
  }
  return checks;
}

/**
 * Prepares criteria for evaluation; throws `InvalidCriteriaError` (with every problem of
 * `validateCriteria`) rather than guess what invalid criteria mean.
 */
export function compileCriteria(criteria: RecallCriteria): CriteriaMatcher {
  const problems = validateCriteria(criteria);
  if (problems.length > 0) throw new InvalidCriteriaError(problems);
  const checks = checksOf(criteria);
  return {
    evaluate(subject) {
      // Only a device still in a patient (or in hand) can be recalled from that patient.
      if (subject.status !== 'active') return { kind: 'not-matched' };
      const because: PossibleBecause[] = [];
      for (const check of checks) {
        const verdict = check(subject);
        // A known value outside the criteria rules the subject out, whatever else is unknown.
        if (verdict === 'no') return { kind: 'not-matched' };
        if (verdict !== 'yes') because.push(verdict);
      }
      return because.length === 0 ? { kind: 'matched' } : { kind: 'possible', because };
    },
  };
}

/** One evaluation; to evaluate many subjects against one recall, compile it once instead. */
export function evaluateCriteria(
  criteria: RecallCriteria,
  subject: CriteriaSubject,
): CriteriaOutcome {
  return compileCriteria(criteria).evaluate(subject);
}
