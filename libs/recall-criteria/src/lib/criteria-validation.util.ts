import type { DateWindowValue } from '@implant-trace/contracts';
import type { FieldProblem } from '@implant-trace/domain-kernel';

import type { RecallCriteria } from './recall-criteria.types';
import { isInvertedRange } from './serial-order.util';

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real day of the Gregorian calendar written YYYY-MM-DD (the contract's pattern lets 02-31 by). */
export function isCalendarDate(text: string): boolean {
  const parts = CALENDAR_DATE.exec(text);
  if (parts === null) return false;
  const [year, month, day] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

const EMPTY_LIST = 'an empty list selects nothing: leave the field out instead';

/**
 * Values matched exactly (identifiers, lots, serials) must be written as the label writes them:
 * a stray space or an empty entry would silently match no implant.
 */
function exactValueProblem(value: string, field: string): FieldProblem[] {
  if (value === '') return [{ field, message: 'must not be empty' }];
  if (value.trim() !== value) {
    return [{ field, message: 'must not start or end with white space: it is matched exactly' }];
  }
  return [];
}

function exactValuesProblems(values: readonly string[] | undefined, field: string): FieldProblem[] {
  if (values === undefined) return [];
  if (values.length === 0) return [{ field, message: EMPTY_LIST }];
  return values.flatMap((value, index) => exactValueProblem(value, `${field}[${index}]`));
}

/** Names and catalogue numbers are compared trimmed and case-insensitively; only blanks are wrong. */
function nameProblems(values: readonly string[] | undefined, field: string): FieldProblem[] {
  if (values === undefined) return [];
  if (values.length === 0) return [{ field, message: EMPTY_LIST }];
  return values.flatMap((value, index) =>
    value.trim() === '' ? [{ field: `${field}[${index}]`, message: 'must not be blank' }] : [],
  );
}

function windowProblems(window: DateWindowValue | undefined, field: string): FieldProblem[] {
  if (window === undefined) return [];
  if (window.from === undefined && window.to === undefined) {
    return [{ field, message: 'give from, to or both (each end is optional, not both)' }];
  }
  const problems: FieldProblem[] = [];
  for (const end of ['from', 'to'] as const) {
    const value = window[end];
    if (value !== undefined && !isCalendarDate(value)) {
      problems.push({ field: `${field}.${end}`, message: 'must be a YYYY-MM-DD calendar date' });
    }
  }
  if (problems.length === 0 && window.from !== undefined && window.to !== undefined) {
    if (window.from > window.to) {
      problems.push({ field, message: `from ${window.from} is after to ${window.to}` });
    }
  }
  return problems;
}

/**
 * Everything wrong with a recall's criteria, each problem naming its field under `path` (the
 * criteria's own path in the request body), so that an HTTP layer can answer problem+json. An
 * empty list means the criteria can be evaluated.
 */
export function validateCriteria(criteria: RecallCriteria, path = 'criteria'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const at = (field: string): string => (path === '' ? field : `${path}.${field}`);

  const hasManufacturer =
    criteria.manufacturer !== undefined && criteria.manufacturer.trim() !== '';
  const hasSelector =
    (criteria.deviceIdentifiers?.length ?? 0) > 0 ||
    (criteria.catalogNumbers?.length ?? 0) > 0 ||
    (hasManufacturer && (criteria.models?.length ?? 0) > 0);
  if (!hasSelector) {
    problems.push({
      field: path === '' ? 'criteria' : path,
      message:
        'needs a device selector: deviceIdentifiers, catalogNumbers, or manufacturer with models',
    });
  }

  problems.push(...exactValuesProblems(criteria.deviceIdentifiers, at('deviceIdentifiers')));
  problems.push(...nameProblems(criteria.catalogNumbers, at('catalogNumbers')));
  if (criteria.manufacturer !== undefined && !hasManufacturer) {
    problems.push({ field: at('manufacturer'), message: 'must not be blank' });
  }
  problems.push(...nameProblems(criteria.models, at('models')));
  if (criteria.models !== undefined && criteria.manufacturer === undefined) {
    // A model name is only unique within its manufacturer's range.
    problems.push({ field: at('manufacturer'), message: 'is required with models' });
  }
  problems.push(...exactValuesProblems(criteria.lotNumbers, at('lotNumbers')));
  problems.push(...exactValuesProblems(criteria.serialNumbers, at('serialNumbers')));

  if (criteria.serialRanges !== undefined) {
    if (criteria.serialRanges.length === 0) {
      problems.push({ field: at('serialRanges'), message: EMPTY_LIST });
    }
    criteria.serialRanges.forEach((range, index) => {
      const field = at(`serialRanges[${index}]`);
      const endProblems = [
        ...exactValueProblem(range.from, `${field}.from`),
        ...exactValueProblem(range.to, `${field}.to`),
      ];
      problems.push(...endProblems);
      if (endProblems.length === 0 && isInvertedRange(range)) {
        problems.push({ field, message: `from ${range.from} is after to ${range.to}` });
      }
    });
  }

  problems.push(...windowProblems(criteria.manufacturedBetween, at('manufacturedBetween')));
  problems.push(...windowProblems(criteria.expiresBetween, at('expiresBetween')));
  return problems;
}
