import { parseNhsNumber, splitAroundHexIdentifiers } from '@implant-trace/identifiers';

/**
 * Field names that identify a patient whatever their value (a number included), in the
 * normalised spelling of `normalisedFieldName`, so `nhsNumber`, `nhs_number`, `nhs-number`,
 * `NHSNumber` and `NhsNumber` are one name.
 */
export const PATIENT_IDENTIFIER_FIELDS = [
  'nhsnumber',
  'nhsnumbers',
  'nhsno',
  'localpatientid',
  'wristbandbarcode',
  'mrn',
  'hospitalnumber',
  'fullname',
  'familyname',
  'givenname',
  'surname',
  'forename',
  'dateofbirth',
  'birthdate',
  'dob',
  'postcode',
  'address',
] as const;

/**
 * Fields named `patient…` (`patient`, `patientId`, `patients`, `patient_ref`) identify a
 * patient unless they hold a number: `patients: 2` and `patientCount` are the counts
 * regulators are meant to see.
 */
export const PATIENT_FIELD_PREFIX = 'patient';

export function normalisedFieldName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const ALWAYS_IDENTIFYING: ReadonlySet<string> = new Set(PATIENT_IDENTIFIER_FIELDS);

function identifyingField(name: string, value: unknown): boolean {
  if (value === null || value === undefined) return false;
  const normalised = normalisedFieldName(name);
  if (ALWAYS_IDENTIFYING.has(normalised) || normalised.includes('nhsnumber')) return true;
  return normalised.startsWith(PATIENT_FIELD_PREFIX) && typeof value !== 'number';
}

// Ten digits in the displayed 3 3 4 groups (spaces, dashes, Unicode dashes, no-break spaces),
// not part of a longer run of digits: a GTIN-14 or a UUID's digits are not NHS numbers.
const NHS_NUMBER_IN_TEXT =
  /(?<!\d)\d{3}[\s\u002d\u2010-\u2015]?\d{3}[\s\u002d\u2010-\u2015]?\d{4}(?!\d)/g;

function holdsNhsNumber(text: string): boolean {
  return splitAroundHexIdentifiers(text).some(
    (part, index) =>
      index % 2 === 0 &&
      [...part.matchAll(NHS_NUMBER_IN_TEXT)].some((match) => parseNhsNumber(match[0]).ok),
  );
}

function scalarHoldsNhsNumber(value: unknown): boolean {
  if (typeof value === 'string') return holdsNhsNumber(value);
  if (typeof value === 'number' || typeof value === 'bigint') return holdsNhsNumber(String(value));
  return false;
}

/**
 * Paths in a response body (success or error) that identify a patient: a patient field in
 * any spelling, or a valid NHS number anywhere, as a string, inside a longer string, as a
 * number or as an object key. Used to stop such bodies reaching regulators.
 */
export function findPatientIdentifiers(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => findPatientIdentifiers(item, `${path}[${index}]`));
  }
  if (typeof value !== 'object' || value === null) {
    return scalarHoldsNhsNumber(value) ? [path] : [];
  }
  return Object.entries(value).flatMap(([key, item]) => {
    // Paths are logged: a key that is itself an NHS number is not repeated in one.
    if (holdsNhsNumber(key)) return [`${path}.(an NHS number)`];
    const itemPath = `${path}.${key}`;
    return identifyingField(key, item) ? [itemPath] : findPatientIdentifiers(item, itemPath);
  });
}

/** What stands in for an NHS number masked out of free text. */
export const MASKED_NHS_NUMBER = '**********';

/**
 * A copy of a body with every valid NHS number inside a string value replaced by
 * `MASKED_NHS_NUMBER`; keys, numbers and patient fields are left for `findPatientIdentifiers`.
 */
export function maskNhsNumbersInText(value: unknown): unknown {
  if (typeof value === 'string') {
    return splitAroundHexIdentifiers(value)
      .map((part, index) =>
        index % 2 === 1
          ? part
          : part.replace(NHS_NUMBER_IN_TEXT, (match) =>
              parseNhsNumber(match).ok ? MASKED_NHS_NUMBER : match,
            ),
      )
      .join('');
  }
  if (Array.isArray(value)) return value.map(maskNhsNumbersInText);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, maskNhsNumbersInText(item)]),
  );
}
