/**
 * GS1 mod-10 check digit over `s[start, end)`, the last position being the check digit.
 * Returns false for any non-digit, so callers can use it on unvalidated text.
 */
export function isValidGs1CheckDigit(s: string, start: number, end: number): boolean {
  if (end - start < 2) return false;
  const check = s.charCodeAt(end - 1) - 48;
  if (check >>> 0 > 9) return false;
  let sum = 0;
  // Weights alternate 3,1,3,... from the digit just left of the check digit; two digits a step.
  let i = end - 2;
  for (; i > start; i -= 2) {
    const a = s.charCodeAt(i) - 48;
    const b = s.charCodeAt(i - 1) - 48;
    if (a >>> 0 > 9 || b >>> 0 > 9) return false;
    sum += 3 * a + b;
  }
  if (i === start) {
    const a = s.charCodeAt(i) - 48;
    if (a >>> 0 > 9) return false;
    sum += 3 * a;
  }
  return (10 - (sum % 10)) % 10 === check;
}

/** Computes the GS1 mod-10 check digit for a string of digits without its check digit. */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = digitsWithoutCheck.length - 1; i >= 0; i--) {
    sum += (digitsWithoutCheck.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** The 43 characters of Code 39 in their mod-43 value order (HIBC Supplier Labeling Standard). */
export const MOD43_CHARSET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%';

const MOD43_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < MOD43_CHARSET.length; i++) MOD43_VALUE[MOD43_CHARSET.charCodeAt(i)] = i;

/** Mod-43 value of a character, or -1 when it is outside the Code 39 set. */
export function mod43Value(charCode: number): number {
  return charCode < 128 ? (MOD43_VALUE[charCode] ?? -1) : -1;
}

/** HIBCC check character over `s[start, end)`, or undefined when a character is outside the set. */
export function mod43CheckCharacter(s: string, start: number, end: number): string | undefined {
  let sum = 0;
  for (let i = start; i < end; i++) {
    const v = mod43Value(s.charCodeAt(i));
    if (v < 0) return undefined;
    sum += v;
  }
  return MOD43_CHARSET[sum % 43];
}

const CSET82 =
  '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const PRIMES = [
  2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83,
];

/**
 * GS1 check character pair (GS1 General Specifications 7.9.5), used by AI 8013 (GMN, the
 * basis of the EU Basic UDI-DI) and AI 8014: the two last characters of `value` are checked.
 */
export function isValidGs1CheckCharacterPair(value: string): boolean {
  const n = value.length - 2;
  if (n < 1 || n > PRIMES.length) return false;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = CSET82.indexOf(value.charAt(i));
    if (v < 0) return false;
    sum += v * (PRIMES[n - 1 - i] ?? 0);
  }
  sum %= 1021;
  return (
    value.charAt(n) === CSET32.charAt(sum >> 5) && value.charAt(n + 1) === CSET32.charAt(sum & 31)
  );
}

/** ISO 13616 IBAN mod-97 check, for AI 8007. */
export function isValidIban(value: string): boolean {
  if (value.length < 5) return false;
  let rem = 0;
  for (let k = 0; k < value.length; k++) {
    const c = value.charCodeAt((k + 4) % value.length);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}
