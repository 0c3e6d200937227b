import type { NhsNumber } from '@implant-trace/identifiers';
import { formatNhsNumber, parseNhsNumber } from '@implant-trace/identifiers';

export type NhsNumberEntry =
  | { state: 'empty'; display: '' }
  | { state: 'incomplete'; display: string; digits: string }
  | { state: 'valid'; display: string; nhsNumber: NhsNumber }
  | { state: 'invalid'; display: string; message: string };

/** Digits grouped 3 3 4 as they are typed, so a number is read back the way it is printed. */
function grouped(digits: string): string {
  return [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)]
    .filter((group) => group !== '')
    .join(' ');
}

/**
 * The NHS number field after each keystroke: what to display and whether the number is usable.
 * The check digit is tested as soon as the tenth digit is in, so a typing slip is caught before
 * the record is made, not by the service afterwards.
 */
export function nhsNumberEntry(typed: string): NhsNumberEntry {
  if (/[^\d\s\u002d\u2010-\u2015]/.test(typed)) {
    return { state: 'invalid', display: typed, message: 'An NHS number has only digits.' };
  }
  const digits = typed.replace(/\D/g, '');
  if (digits === '') return { state: 'empty', display: '' };
  if (digits.length < 10) return { state: 'incomplete', display: grouped(digits), digits };
  if (digits.length > 10) {
    return { state: 'invalid', display: grouped(digits), message: 'An NHS number has 10 digits.' };
  }
  const parsed = parseNhsNumber(digits);
  if (!parsed.ok) {
    const message =
      parsed.reason === 'check-digit'
        ? 'This is not a valid NHS number: check the digits against the wristband or notes.'
        : parsed.message;
    return { state: 'invalid', display: grouped(digits), message };
  }
  return {
    state: 'valid',
    display: formatNhsNumber(parsed.nhsNumber),
    nhsNumber: parsed.nhsNumber,
  };
}
