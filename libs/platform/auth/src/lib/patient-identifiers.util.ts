import { parseNhsNumber } from '@implant-trace/identifiers';

/** Field names that carry a patient identifier, whatever their value's shape. */
const PATIENT_IDENTIFIER_FIELDS = new Set([
  'nhsNumber',
  'nhsNumbers',
  'patient',
  'patientId',
  'patientIds',
  'localPatientId',
  'patientName',
  'familyName',
  'givenName',
  'dateOfBirth',
  'birthDate',
  'postcode',
  'address',
]);

const DIGITS_ONLY_NHS_NUMBER = /^\d{3}[ -]?\d{3}[ -]?\d{4}$/;

/**
 * Paths in a response body that identify a patient: a known identifier field, or any string
 * that is a valid NHS number wherever it sits. Used to stop such bodies reaching regulators.
 */
export function findPatientIdentifiers(value: unknown, path = '$'): string[] {
  if (typeof value === 'string') {
    return DIGITS_ONLY_NHS_NUMBER.test(value.trim()) && parseNhsNumber(value).ok ? [path] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => findPatientIdentifiers(item, `${path}[${index}]`));
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const itemPath = `${path}.${key}`;
    const identifying =
      PATIENT_IDENTIFIER_FIELDS.has(key) &&
      item !== null &&
      item !== undefined &&
      typeof item !== 'number';
    return identifying ? [itemPath] : findPatientIdentifiers(item, itemPath);
  });
}
