/**
 * A normalised NHS number: ten ASCII digits whose modulus-11 check digit is right. Only
 * `parseNhsNumber` and `testNhsNumber` produce one, so holding the type proves both checks ran.
 */
export type NhsNumber = string & { readonly __brand: 'NhsNumber' };

/** Why an input is not a usable NHS number. */
export type NhsNumberReason =
  | 'empty'
  | 'non-digit'
  | 'wrong-length'
  | 'check-digit'
  | 'test-number-refused'
  | 'test-number-required';

/**
 * What to do with numbers in the range reserved for test data: `refuse` for production
 * (a test number there means a demo record leaked), `require` for demo and training
 * deployments (a real number there means real patient data where it must not be).
 */
export type TestNumberPolicy = 'allow' | 'refuse' | 'require';

export interface NhsNumberOptions {
  testNumbers?: TestNumberPolicy;
}

export type NhsNumberResult =
  | { ok: true; nhsNumber: NhsNumber; isTestNumber: boolean }
  | { ok: false; reason: NhsNumberReason; message: string };

/** NHS England allocates no live numbers here: 999 000 0000 to 999 999 9999 is test data. */
const TEST_RANGE_PREFIX = '999';

// People type NHS numbers in the displayed 3 3 4 groups, with spaces or dashes; word
// processors turn hyphens into Unicode dashes, and copied text brings no-break spaces.
const SEPARATORS = /[\s\u002d\u2010-\u2015]/g;

/**
 * The modulus-11 check digit for the first nine digits of an NHS number (weights 10 down
 * to 2; 11 - remainder, where 11 becomes 0), or `null` when the remainder gives 10: no
 * NHS number is issued with those nine digits.
 */
export function nhsNumberCheckDigit(firstNine: string): number | null {
  if (!/^\d{9}$/.test(firstNine)) {
    throw new RangeError('nhsNumberCheckDigit needs exactly nine ASCII digits');
  }
  let sum = 0;
  for (let i = 0; i < 9; i += 1) {
    sum += (firstNine.charCodeAt(i) - 48) * (10 - i);
  }
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? null : check;
}

/**
 * Validates and normalises an NHS number as a person or a system typed it. Never throws;
 * the messages never repeat the input, so they are safe to log.
 */
export function parseNhsNumber(input: string, options: NhsNumberOptions = {}): NhsNumberResult {
  const trimmed = input.trim();
  if (trimmed === '') {
    return fail('empty', 'No NHS number was given.');
  }
  const digits = trimmed.replace(SEPARATORS, '');
  if (!/^[0-9]*$/.test(digits)) {
    return fail(
      'non-digit',
      'An NHS number has only digits, optionally grouped by spaces or dashes.',
    );
  }
  if (digits.length !== 10) {
    return fail('wrong-length', `An NHS number has 10 digits; this has ${digits.length}.`);
  }
  const expected = nhsNumberCheckDigit(digits.slice(0, 9));
  if (expected === null) {
    return fail(
      'check-digit',
      'No NHS number starts with these nine digits (their check digit would be 10).',
    );
  }
  if (expected !== digits.charCodeAt(9) - 48) {
    return fail('check-digit', 'The check digit does not match: a digit is mistyped.');
  }
  const isTestNumber = digits.startsWith(TEST_RANGE_PREFIX);
  const policy = options.testNumbers ?? 'allow';
  if (policy === 'refuse' && isTestNumber) {
    return fail(
      'test-number-refused',
      'This is a test NHS number (999 range); this deployment takes only real numbers.',
    );
  }
  if (policy === 'require' && !isTestNumber) {
    return fail('test-number-required', 'This deployment takes only test NHS numbers (999 range).');
  }
  return { ok: true, nhsNumber: digits as NhsNumber, isTestNumber };
}

/** True when the input is a valid NHS number, however it is spaced. */
export function isValidNhsNumber(input: string): boolean {
  return parseNhsNumber(input).ok;
}

/** True when the input is a valid NHS number in the range reserved for test data. */
export function isTestNhsNumber(input: string): boolean {
  const result = parseNhsNumber(input);
  return result.ok && result.isTestNumber;
}

/** The 3 3 4 display form NHS England requires on screens and print: `943 476 5919`. */
export function formatNhsNumber(nhsNumber: NhsNumber): string {
  return `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;
}

function fail(reason: NhsNumberReason, message: string): NhsNumberResult {
  return { ok: false, reason, message };
}
