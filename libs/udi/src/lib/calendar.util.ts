export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Two decimal digits at `s[i]`, or -1. */
export function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** `n` decimal digits at `s[i]` (n ≤ 9), or -1. */
export function digitsAt(s: string, i: number, n: number): number {
  if (i + n > s.length) return -1;
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** '00'…'99', so building a date string formats no numbers. */
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, n) =>
  String(n).padStart(2, '0'),
);

/** "YYYY-MM-" for the years 1900-2199, built on first use, so a date costs one concatenation. */
const MONTH_PREFIX: (string | undefined)[] = new Array<string | undefined>(300 * 12).fill(
  undefined,
);

export function isoDate(year: number, month: number, day: number): string {
  const key = (year - 1900) * 12 + month - 1;
  if (key < 0 || key >= MONTH_PREFIX.length) {
    return `${year}-${TWO_DIGITS[month] ?? ''}-${TWO_DIGITS[day] ?? ''}`;
  }
  const prefix = (MONTH_PREFIX[key] ??= `${year}-${TWO_DIGITS[month] ?? ''}-`);
  return prefix + (TWO_DIGITS[day] ?? '');
}

/**
 * GS1 General Specifications 7.12: a two-digit year lies within 49 years after or 50 years
 * before the current year (the current century unless the difference says otherwise).
 */
export function gs1FullYear(yy: number, currentYear: number): number {
  const century = currentYear - (currentYear % 100);
  const diff = yy - (currentYear % 100);
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

/** Calendar date from a year and a 1-based ordinal (Julian) day, or undefined if out of range. */
export function ordinalDate(year: number, dayOfYear: number): string | undefined {
  if (dayOfYear < 1 || dayOfYear > (isLeapYear(year) ? 366 : 365)) return undefined;
  let month = 1;
  let day = dayOfYear;
  while (day > daysInMonth(year, month)) {
    day -= daysInMonth(year, month);
    month++;
  }
  return isoDate(year, month, day);
}

/** Calendar date, or undefined when the month or day does not exist. */
export function calendarDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return isoDate(year, month, day);
}
