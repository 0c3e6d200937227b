import { calendarDate, daysInMonth, digitsAt, ordinalDate, twoDigits } from '../calendar.util';
import { mod43CheckCharacter, mod43Value } from '../check-digits.util';
import { UdiIssueCode, udiIssue } from '../udi-issue-code';
import type { Udi, UdiElement, UdiIssue, UdiParseResult } from '../udi.types';

/**
 * HIBC Supplier Labeling Standard (ANSI/HIBC 2.6): primary `+LIC PCN U C`, secondary
 * `+ data L C` (L the link character: the primary's check character) and the concatenated
 * single-symbol form `+LIC PCN U / data C`. Two-digit years are read as 20YY, as the standard
 * has no century field; a month-only date (MMYY) is read as the last day of that month.
 */

interface Secondary {
  lotNumber?: string;
  serialNumber?: string;
  expirationDate?: string;
  manufactureDate?: string;
}

const MAX_LOT = 18;
const MAX_JULIAN_FORMAT_LOT = 13;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isUpperAlnum(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 90);
}

/** Lot and serial characters: letters, digits, '-' and '.'; '$', '/', '+', '%' are structure. */
function isDataChar(c: number): boolean {
  return isUpperAlnum(c) || c === 45 || c === 46;
}

class HibccReader {
  readonly elements: UdiElement[] = [];
  readonly warnings: UdiIssue[] = [];
  error: UdiIssue | undefined;
  readonly data: Secondary = {};

  constructor(private readonly s: string) {}

  fail(code: UdiIssueCode, message: string, position: number): false {
    this.error ??= udiIssue(code, message, position);
    return false;
  }

  add(ai: string, start: number, end: number): string {
    const value = this.s.slice(start, end);
    this.elements.push({ ai, value });
    return value;
  }

  /** Reads a date of HIBC format `flag` at `i`; returns the index after it, or -1. */
  date(flag: number, i: number, end: number): number {
    const s = this.s;
    let length: number;
    let iso: string | undefined;
    switch (flag) {
      case 0:
      case 1: {
        length = 4;
        const mm = twoDigits(s, i);
        const yy = twoDigits(s, i + 2);
        iso =
          yy >= 0 && mm >= 1 && mm <= 12
            ? calendarDate(2000 + yy, mm, daysInMonth(2000 + yy, mm))
            : undefined;
        break;
      }
      case 2:
        length = 6;
        iso = calendarDate(2000 + twoDigits(s, i + 4), twoDigits(s, i), twoDigits(s, i + 2));
        break;
      case 3:
      case 4:
        length = flag === 3 ? 6 : 8;
        iso = calendarDate(2000 + twoDigits(s, i), twoDigits(s, i + 2), twoDigits(s, i + 4));
        break;
      case 5:
      case 6:
        length = flag === 5 ? 5 : 7;
        iso = ordinalDate(2000 + twoDigits(s, i), digitsAt(s, i + 2, 3));
        break;
      default:
        return i;
    }
    const hour = flag === 4 ? twoDigits(s, i + 6) : flag === 6 ? twoDigits(s, i + 5) : 0;
    if (
      i + length > end ||
      digitsAt(s, i, length) < 0 ||
      iso === undefined ||
      hour < 0 ||
      hour > 23
    ) {
      this.fail(UdiIssueCode.HIBCC_INVALID_DATE, 'secondary data: not a valid expiration date', i);
      return -1;
    }
    this.add('EXP', i, i + length);
    this.data.expirationDate = iso;
    return i + length;
  }

  /** Lot or serial number `s[i, end)`. */
  lotOrSerial(
    kind: 'LOT' | 'SERIAL',
    i: number,
    end: number,
    max: number,
    required: boolean,
  ): boolean {
    const s = this.s;
    for (let k = i; k < end; k++) {
      if (!isDataChar(s.charCodeAt(k))) {
        return this.fail(
          UdiIssueCode.HIBCC_INVALID_SECONDARY,
          `secondary data: ${JSON.stringify(s.charAt(k))} cannot appear in a lot or serial number`,
          k,
        );
      }
    }
    if (end - i > max || (required && end === i)) {
      return this.fail(
        UdiIssueCode.HIBCC_INVALID_SECONDARY,
        `secondary data: ${kind === 'LOT' ? 'lot' : 'serial'} number must have ${required ? 1 : 0} to ${max} characters`,
        i,
      );
    }
    if (end === i) return true;
    const value = this.add(kind, i, end);
    if (kind === 'LOT') this.data.lotNumber = value;
    else this.data.serialNumber = value;
    return true;
  }

  /** Secondary data `s[i, end)` up to any supplemental fields, without link or check character. */
  secondary(i: number, end: number): boolean {
    const s = this.s;
    let slash = s.indexOf('/', i);
    if (slash < 0 || slash > end) slash = end;
    if (i >= slash)
      return this.fail(UdiIssueCode.HIBCC_INVALID_SECONDARY, 'secondary data is empty', i);
    if (isDigit(s.charCodeAt(i))) {
      const next = this.date(5, i, slash);
      if (next < 0 || !this.lotOrSerial('LOT', next, slash, MAX_JULIAN_FORMAT_LOT, false))
        return false;
      return this.supplemental(slash, end);
    }
    if (s.charCodeAt(i) !== 36) {
      return this.fail(
        UdiIssueCode.HIBCC_INVALID_SECONDARY,
        'secondary data must start with a Julian date or "$"',
        i,
      );
    }
    let k = i + 1;
    const withFlag = s.charCodeAt(k) === 36;
    if (withFlag) k++;
    const kind = s.charCodeAt(k) === 43 ? 'SERIAL' : 'LOT';
    if (kind === 'SERIAL') k++;
    let dated = false;
    if (withFlag) {
      let flag = s.charCodeAt(k) - 48;
      if (flag === 8 || flag === 9) {
        const qtyLength = flag === 8 ? 2 : 5;
        if (digitsAt(s, k + 1, qtyLength) < 0 || k + 1 + qtyLength > slash) {
          return this.fail(
            UdiIssueCode.HIBCC_INVALID_SECONDARY,
            `secondary data: quantity must be ${qtyLength} digits`,
            k + 1,
          );
        }
        this.add('QTY', k + 1, k + 1 + qtyLength);
        k += 1 + qtyLength;
        flag = k < slash ? s.charCodeAt(k) - 48 : 7;
        if (flag < 0 || flag > 7) flag = 7;
        else if (flag === 7) k++;
      } else if (flag === 7) {
        k++;
      } else if (flag < 0 || flag > 6 || k >= slash) {
        return this.fail(
          UdiIssueCode.HIBCC_INVALID_SECONDARY,
          'secondary data: unknown date format flag after "$$"',
          k,
        );
      }
      if (flag <= 6) {
        // Flags 0 and 1 are the first digit of an MMYY month, so the date starts at the flag.
        const next = this.date(flag, flag <= 1 ? k : k + 1, slash);
        if (next < 0) return false;
        k = next;
        dated = true;
      }
    }
    if (!this.lotOrSerial(kind, k, slash, MAX_LOT, !dated)) return false;
    return this.supplemental(slash, end);
  }

  /** Supplemental fields `/S…`, `/14D…`, `/16D…` (ASC MH10.8.2 data identifiers) from `i`. */
  supplemental(i: number, end: number): boolean {
    const s = this.s;
    while (i < end) {
      const start = i + 1;
      let next = s.indexOf('/', start);
      if (next < 0 || next > end) next = end;
      let di = start;
      while (di < next && isDigit(s.charCodeAt(di))) di++;
      const id = s.slice(start, Math.min(di + 1, next));
      const valueStart = di + 1;
      if (id === '14D' || id === '16D') {
        const year = digitsAt(s, valueStart, 4);
        const iso =
          next - valueStart === 8 && year >= 0
            ? calendarDate(year, twoDigits(s, valueStart + 4), twoDigits(s, valueStart + 6))
            : undefined;
        if (iso === undefined)
          return this.fail(
            UdiIssueCode.HIBCC_INVALID_DATE,
            `supplemental data ${id}: expected YYYYMMDD`,
            valueStart,
          );
        this.add(id, valueStart, next);
        if (id === '14D') this.data.expirationDate = iso;
        else this.data.manufactureDate = iso;
      } else if (id === 'S' && this.data.serialNumber === undefined) {
        if (!this.lotOrSerial('SERIAL', valueStart, next, MAX_LOT, true)) return false;
      } else {
        this.warnings.push(
          udiIssue(
            UdiIssueCode.HIBCC_UNKNOWN_SUPPLEMENTAL_DATA,
            `supplemental data ${JSON.stringify(s.slice(start, next))} is not read`,
            start,
          ),
        );
        this.elements.push({ ai: id, value: s.slice(Math.min(valueStart, next), next) });
      }
      i = next;
    }
    return true;
  }

  /** Primary data `s[i, end)`: LIC, product or catalogue number, unit of measure. */
  primary(i: number, end: number): string | undefined {
    const s = this.s;
    const length = end - i;
    if (length < 6 || length > 23) {
      this.fail(
        UdiIssueCode.HIBCC_INVALID_PRODUCT_CODE,
        'primary data: product or catalogue number must have 1 to 18 characters',
        i + 4,
      );
      return undefined;
    }
    const c0 = s.charCodeAt(i);
    if (
      c0 < 65 ||
      c0 > 90 ||
      !isUpperAlnum(s.charCodeAt(i + 1)) ||
      !isUpperAlnum(s.charCodeAt(i + 2)) ||
      !isUpperAlnum(s.charCodeAt(i + 3))
    ) {
      this.fail(
        UdiIssueCode.HIBCC_INVALID_LIC,
        'primary data: the Labeler Identification Code is a letter and three letters or digits',
        i,
      );
      return undefined;
    }
    for (let k = i + 4; k < end - 1; k++) {
      if (!isUpperAlnum(s.charCodeAt(k))) {
        this.fail(
          UdiIssueCode.HIBCC_INVALID_PRODUCT_CODE,
          'primary data: product or catalogue number has letters and digits only',
          k,
        );
        return undefined;
      }
    }
    if (!isDigit(s.charCodeAt(end - 1))) {
      this.fail(
        UdiIssueCode.HIBCC_INVALID_UNIT_OF_MEASURE,
        'primary data: unit of measure must be a digit',
        end - 1,
      );
      return undefined;
    }
    this.add('LIC', i, i + 4);
    this.add('PCN', i + 4, end - 1);
    this.add('UOM', end - 1, end);
    return s.slice(i, end);
  }
}

/** Parses a HIBCC symbol `s[start, end)` starting with '+'. */
export function parseHibcc(s: string, start: number, end: number): UdiParseResult {
  if (end - start < 4) {
    return {
      ok: false,
      errors: [udiIssue(UdiIssueCode.HIBCC_TOO_SHORT, 'too short for a HIBCC symbol', start)],
    };
  }
  for (let i = start; i < end; i++) {
    if (mod43Value(s.charCodeAt(i)) < 0) {
      return {
        ok: false,
        errors: [
          udiIssue(
            UdiIssueCode.HIBCC_INVALID_CHARACTER,
            `${JSON.stringify(s.charAt(i))} is not in the HIBC (Code 39) character set`,
            i,
          ),
        ],
      };
    }
  }
  const check = s.charAt(end - 1);
  const expected = mod43CheckCharacter(s, start, end - 1);
  if (check !== expected) {
    return {
      ok: false,
      errors: [
        udiIssue(
          UdiIssueCode.HIBCC_INVALID_CHECK_CHARACTER,
          `check character is ${JSON.stringify(check)}, the data gives ${JSON.stringify(expected)}`,
          end - 1,
        ),
      ],
    };
  }
  const reader = new HibccReader(s);
  const bodyEnd = end - 1;
  const first = s.charCodeAt(start + 1);
  let deviceIdentifier: string | undefined;
  if (first >= 65 && first <= 90) {
    let slash = s.indexOf('/', start + 1);
    if (slash < 0 || slash > bodyEnd) slash = bodyEnd;
    deviceIdentifier = reader.primary(start + 1, slash);
    if (deviceIdentifier !== undefined) {
      if (slash < bodyEnd) reader.secondary(slash + 1, bodyEnd);
      else reader.add('CHECK', end - 1, end);
    }
  } else {
    // The length check above leaves at least one data character before the link character.
    const link = bodyEnd - 1;
    if (reader.secondary(start + 1, link)) reader.add('LINK', link, link + 1);
  }
  if (reader.error !== undefined) return { ok: false, errors: [reader.error] };
  const udi: Udi = {
    format: 'hibcc',
    issuingAgency: 'HIBCC',
    elements: reader.elements,
    ...reader.data,
  };
  if (deviceIdentifier !== undefined) udi.deviceIdentifier = deviceIdentifier;
  return { ok: true, udi, warnings: reader.warnings };
}

/**
 * Whether a separately scanned HIBCC secondary symbol belongs to a primary: its link character
 * must equal the primary's check character (HIBC Supplier Labeling Standard 2.6).
 */
export function hibccLinkMatches(primary: Udi, secondary: Udi): boolean {
  const check = primary.elements.find((e) => e.ai === 'CHECK');
  const link = secondary.elements.find((e) => e.ai === 'LINK');
  return (
    primary.format === 'hibcc' &&
    secondary.format === 'hibcc' &&
    check !== undefined &&
    link !== undefined &&
    check.value === link.value
  );
}
