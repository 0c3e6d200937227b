import {
  isValidGs1CheckCharacterPair,
  isValidGs1CheckDigit,
  isValidIban,
} from '../check-digits.util';
import { calendarDate, daysInMonth, digitsAt, gs1FullYear, twoDigits } from '../calendar.util';
import { UdiIssueCode, udiIssue } from '../udi-issue-code';
import type { UdiIssue } from '../udi.types';
import { AI_CHECKS } from './ai-table';
import type { AiCharset, AiCheck, AiComponent, AiDefinition } from './ai-table';
import type { Gs1Context } from './gs1-context';

const GS = 29;

const N = 1;
const X = 2;
const Y = 4;
const Z = 8;
/** Bit set per ASCII code: N digits, X GS1 set 82, Y GS1 set 39, Z GS1 set 64 (file-safe base64). */
const CHARSET_BITS = new Uint8Array(128);
function allow(chars: string, bit: number): void {
  for (let i = 0; i < chars.length; i++) {
    const c = chars.charCodeAt(i);
    CHARSET_BITS[c] = (CHARSET_BITS[c] ?? 0) | bit;
  }
}
const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
allow(DIGITS, N | X | Y | Z);
allow(UPPER, X | Y | Z);
allow(LOWER, X | Z);
allow('!"%&\'()*+,./:;<=>?', X);
allow('-', X | Y | Z);
allow('/', Y);
allow('#', Y);
allow('_', X | Z);
allow('=', Z);

const CHARSET_BIT: Record<AiCharset, number> = { N, X, Y, Z };
const CHARSET_NAME: Record<AiCharset, string> = {
  N: 'digits',
  X: 'GS1 character set 82',
  Y: 'GS1 character set 39',
  Z: 'GS1 character set 64',
};

/** Whether `s[start, end)` is entirely in the GS1 character set 82. */
export function isCset82(s: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || ((CHARSET_BITS[c] ?? 0) & X) === 0) return false;
  }
  return true;
}

/** Index of the first character of `s[start, end)` outside set 82, or `end`. */
export function endOfCset82(s: string, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c >= 128 || ((CHARSET_BITS[c] ?? 0) & X) === 0) return i;
    i++;
  }
  return end;
}

/** Index of the first character of `s[start, end)` outside `bit`, or -1. */
function firstOutside(s: string, start: number, end: number, bit: number): number {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || ((CHARSET_BITS[c] ?? 0) & bit) === 0) return i;
  }
  return -1;
}

/**
 * GS1 YYMMDD at `s[i]` as YYYY-MM-DD (century by the GS1 window), or undefined. With
 * `allowDay00`, day 00 means the last day of the month (GS1 General Specifications 3.4).
 */
export function gs1Date(
  s: string,
  i: number,
  allowDay00: boolean,
  ctx: Gs1Context,
): string | undefined {
  const yy = twoDigits(s, i);
  const mm = twoDigits(s, i + 2);
  const dd = twoDigits(s, i + 4);
  if (yy < 0 || mm < 1 || mm > 12 || dd < 0) return undefined;
  const year = gs1FullYear(yy, ctx.currentYear());
  if (dd === 0) return allowDay00 ? calendarDate(year, mm, daysInMonth(year, mm)) : undefined;
  return calendarDate(year, mm, dd);
}

/**
 * Whether YYMMDD at `s[i]` is a real date, without building it: only 29 February of a year 00
 * needs the century (2000 is a leap year, 2100 is not), so the clock is read only then.
 */
function isGs1Date(s: string, i: number, allowDay00: boolean, ctx: Gs1Context): boolean {
  const yy = twoDigits(s, i);
  const mm = twoDigits(s, i + 2);
  const dd = twoDigits(s, i + 4);
  if (yy < 0 || mm < 1 || mm > 12 || dd < 0) return false;
  if (dd === 0) return allowDay00;
  if (mm !== 2 || dd < 29) return dd <= daysInMonth(2000, mm);
  if (dd > 29) return false;
  return yy % 4 === 0 && (yy !== 0 || gs1FullYear(0, ctx.currentYear()) % 400 === 0);
}

function isHourMinute(s: string, i: number): boolean {
  const hh = twoDigits(s, i);
  const mi = twoDigits(s, i + 2);
  return hh >= 0 && hh <= 23 && mi >= 0 && mi <= 59;
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function passesCheck(
  check: AiCheck,
  s: string,
  start: number,
  end: number,
  ctx: Gs1Context,
): boolean {
  switch (check) {
    case 'csum':
      return isValidGs1CheckDigit(s, start, end);
    case 'csumalpha':
      return isValidGs1CheckCharacterPair(s.slice(start, end));
    case 'date':
      return isGs1Date(s, start, false, ctx);
    case 'date0':
      return isGs1Date(s, start, true, ctx);
    case 'date8': {
      const year = digitsAt(s, start, 4);
      return (
        year >= 0 &&
        calendarDate(year, twoDigits(s, start + 4), twoDigits(s, start + 6)) !== undefined
      );
    }
    case 'datehour': {
      const hh = twoDigits(s, start + 6);
      return isGs1Date(s, start, false, ctx) && hh >= 0 && hh <= 23;
    }
    case 'datetime':
      return isGs1Date(s, start, false, ctx) && isHourMinute(s, start + 6);
    case 'datetime12': {
      const year = digitsAt(s, start, 4);
      return (
        year >= 0 &&
        calendarDate(year, twoDigits(s, start + 4), twoDigits(s, start + 6)) !== undefined &&
        isHourMinute(s, start + 8)
      );
    }
    case 'hhmm':
      return isHourMinute(s, start);
    case 'iban':
      return isValidIban(s.slice(start, end));
    case 'minus':
      return s.charCodeAt(start) === 45;
    case 'pcenc':
      for (let i = start; i < end; i++) {
        if (s.charCodeAt(i) !== 37) continue;
        if (i + 2 >= end || !isHexDigit(s.charCodeAt(i + 1)) || !isHexDigit(s.charCodeAt(i + 2)))
          return false;
        i += 2;
      }
      return true;
    case 'yesno':
      return s.charCodeAt(start) === 48 || s.charCodeAt(start) === 49;
    case 'zero':
      return s.charCodeAt(start) === 48;
  }
}

/**
 * Outcome of `checkAiValue`: 0 when valid, otherwise `position * PROBLEM_SPAN + kind`, so the
 * hot path (and the dropped-separator probe, which fails often) allocates nothing.
 */
const PROBLEM_SPAN = 64;
const TOO_SHORT = 1;
const TOO_LONG = 2;
const SEPARATOR_IN_FIXED = 3;
/** A character outside the component's set: BAD_CHARACTER + index of the set in CHARSETS. */
const BAD_CHARACTER = 4;
const CHARSETS: readonly AiCharset[] = ['N', 'X', 'Y', 'Z'];
/** Kinds from here up name a failed check: CHECK_BASE + index in AI_CHECKS. */
const CHECK_BASE = 8;

function problem(kind: number, position: number): number {
  return position * PROBLEM_SPAN + kind;
}

function passesAll(
  c: AiComponent,
  s: string,
  start: number,
  end: number,
  ctx: Gs1Context,
): boolean {
  for (const check of c.checks) if (!passesCheck(check, s, start, end, ctx)) return false;
  return true;
}

function checkComponent(
  c: AiComponent,
  s: string,
  start: number,
  end: number,
  ctx: Gs1Context,
): number {
  // Every check on a digit component reads all of its characters as digits, so when the checks
  // pass the character set holds too; the set is examined only to explain a failure.
  if (c.charset === 'N' && c.checks.length > 0 && passesAll(c, s, start, end, ctx)) return 0;
  const bad = firstOutside(s, start, end, CHARSET_BIT[c.charset]);
  if (bad >= 0) {
    const kind =
      s.charCodeAt(bad) === GS ? SEPARATOR_IN_FIXED : BAD_CHARACTER + CHARSETS.indexOf(c.charset);
    return problem(kind, bad);
  }
  for (const check of c.checks) {
    if (!passesCheck(check, s, start, end, ctx)) {
      return problem(CHECK_BASE + AI_CHECKS.indexOf(check), start);
    }
  }
  return 0;
}

/**
 * Checks the value `s[start, end)` of AI `def`: length, character set per component and the
 * component checks (check digits, dates, ...). Returns 0, or a problem for `describeAiValueProblem`.
 */
export function checkAiValue(
  def: AiDefinition,
  s: string,
  start: number,
  end: number,
  ctx: Gs1Context,
): number {
  const length = end - start;
  if (length < def.minLength) return problem(TOO_SHORT, start);
  if (length > def.maxLength) return problem(TOO_LONG, start);
  const components = def.components;
  if (components.length === 1) {
    const only = components[0];
    return only === undefined ? 0 : checkComponent(only, s, start, end, ctx);
  }
  let pos = start;
  for (const c of components) {
    const remaining = end - pos;
    if (remaining === 0 && c.optional) break;
    const take = c.minLength === c.maxLength ? c.maxLength : Math.min(remaining, c.maxLength);
    if (take > remaining) return problem(TOO_SHORT, start);
    const found = checkComponent(c, s, pos, pos + take, ctx);
    if (found !== 0) return found;
    pos += take;
  }
  return pos === end ? 0 : problem(TOO_LONG, pos);
}

/** Whether a problem from `checkAiValue` leaves the element's boundaries in doubt. */
export function isLengthProblem(found: number): boolean {
  const kind = found % PROBLEM_SPAN;
  return kind === TOO_SHORT || kind === TOO_LONG || kind === SEPARATOR_IN_FIXED;
}

/** The issue for a problem returned by `checkAiValue` on `s[start, end)`. */
export function describeAiValueProblem(
  def: AiDefinition,
  s: string,
  start: number,
  end: number,
  found: number,
): UdiIssue {
  const kind = found % PROBLEM_SPAN;
  const position = (found - kind) / PROBLEM_SPAN;
  const ai = `AI (${def.ai})`;
  switch (kind) {
    case TOO_SHORT:
      return udiIssue(
        UdiIssueCode.GS1_VALUE_TOO_SHORT,
        `${ai}: value has ${end - start} characters, at least ${def.minLength} needed`,
        position,
      );
    case TOO_LONG:
      return udiIssue(
        UdiIssueCode.GS1_VALUE_TOO_LONG,
        `${ai}: value has ${end - start} characters, at most ${def.maxLength} allowed`,
        position,
      );
    case SEPARATOR_IN_FIXED:
      return udiIssue(
        UdiIssueCode.GS1_VALUE_TOO_SHORT,
        `${ai}: separator inside a value of fixed length ${def.maxLength}`,
        position,
      );
  }
  if (kind < CHECK_BASE) {
    const charset = CHARSETS[kind - BAD_CHARACTER] ?? 'X';
    return udiIssue(
      UdiIssueCode.GS1_INVALID_CHARACTER,
      `${ai}: character ${JSON.stringify(s.charAt(position))} is not allowed (${CHARSET_NAME[charset]} only)`,
      position,
    );
  }
  const check = AI_CHECKS[kind - CHECK_BASE];
  if (check === 'csum' || check === 'csumalpha' || check === 'iban') {
    return udiIssue(
      UdiIssueCode.GS1_INVALID_CHECK_DIGIT,
      `${ai}: check ${check === 'csum' ? 'digit does' : 'characters do'} not match the data`,
      position,
    );
  }
  if (
    check === 'hhmm' ||
    check === 'minus' ||
    check === 'pcenc' ||
    check === 'yesno' ||
    check === 'zero'
  ) {
    return udiIssue(
      UdiIssueCode.GS1_INVALID_VALUE,
      `${ai}: value breaks the ${check} rule`,
      position,
    );
  }
  return udiIssue(UdiIssueCode.GS1_INVALID_DATE, `${ai}: not a valid date`, position);
}

/** `checkAiValue` with the problem, if any, as an issue. */
export function validateAiValue(
  def: AiDefinition,
  s: string,
  start: number,
  end: number,
  ctx: Gs1Context,
): UdiIssue | undefined {
  const found = checkAiValue(def, s, start, end, ctx);
  return found === 0 ? undefined : describeAiValueProblem(def, s, start, end, found);
}
