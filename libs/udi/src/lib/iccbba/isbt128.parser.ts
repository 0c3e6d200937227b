import { digitsAt, ordinalDate, twoDigits } from '../calendar.util';
import { UdiIssueCode, udiIssue } from '../udi-issue-code';
import type { Udi, UdiElement, UdiIssue, UdiParseResult } from '../udi.types';

/**
 * ICCBBA ISBT 128 (ST-001 Technical Specification, ST-017 Coding and Labeling of Medical
 * Devices Containing MPHO). Two kinds of device: a medical device containing MPHO, identified by
 * its PPIC (`=/`), and a blood container (bag) set, identified by its Container Manufacturer and
 * Catalog Number (`=)`, 017) with the Container Lot Number (`&)`, 018) as its production
 * identifier, as in ICCBBA's FDA-accredited UDI format.
 *
 * Data content lengths of the fixed-length data structures, by data identifier. The Donation
 * Identification Number [001] is '=' followed by a character that is part of its 15-character
 * content; variable-length structures (025, 029, 030, 038) and nationally defined ones are not
 * read.
 */
const CONTENT_LENGTH: ReadonlyMap<string, number> = new Map([
  ['=%', 4], // 002 Blood Groups
  ['=<', 8], // 003 Product Code
  ['=>', 6], // 004 Expiration Date
  ['&>', 10], // 005 Expiration Date and Time
  ['=*', 6], // 006 Collection Date
  ['&*', 10], // 007 Collection Date and Time
  ['=}', 6], // 008 Production Date
  ['&}', 10], // 009 Production Date and Time
  ['&(', 5], // 010 Special Testing: General
  ['=\\', 18], // 012 Special Testing: Red Blood Cell Antigens, General
  ['&\\', 18], // 013 Special Testing: Red Blood Cell Antigens, Finnish
  ['&{', 18], // 014 Special Testing: Platelet HLA and Platelet Specific Antigens
  ['=)', 10], // 017 Container Manufacturer and Catalog Number
  ['&)', 10], // 018 Container Lot Number
  ['=;', 21], // 019 Donor Identification Number
  ["='", 11], // 020 Staff Member Identification Number
  ['=-', 10], // 021 Manufacturer and Catalog Number: Items Other Than Containers
  ['&-', 10], // 022 Lot Number: Items Other Than Containers
  ['=#', 10], // 024 Patient Date of Birth
  ['=]', 6], // 026 Expiration Month and Year
  ['=$', 16], // 028 Product Consignment
  ['=(', 16], // 031 Flexible Date and Time
  ['=,', 6], // 032 Product Divisions
  ['&+', 11], // 033 Processing Facility Information Code
  ['=/', 16], // 034 Processor Product Identification Code
  ['&,1', 18], // 035 MPHO Lot Number
  ['&,2', 18], // 036 MPHO Supplemental Identification Number
  ['&:', 19], // 039 Global Registration Identifier for Donors
  ['&/', 15], // 040 Chain of Identity Identifier
]);

const DIN = '=';
const PPIC = '=/';
const PRODUCT_DIVISIONS = '=,';
const MPHO_LOT = '&,1';
const COMPOUND = '=+';
/** 017, `bqqwwwwwww`: the device identifier of a blood container (bag) set. */
const CONTAINER = '=)';
/** 018: the container set's lot number, its production identifier. */
const CONTAINER_LOT = '&)';
const ITEM = '=-';
const ITEM_LOT = '&-';

/**
 * ST-001 2.4.18 and 2.4.22: a lot number "shall be used in conjunction with" the manufacturer
 * and catalogue number it is the lot of.
 */
const USED_WITH: readonly (readonly [string, string])[] = [
  [CONTAINER_LOT, CONTAINER],
  [ITEM_LOT, ITEM],
];

/** A-N, P-Z and 1-9: the first character of a DIN (also the second of its data identifier). */
function isDinLead(c: number): boolean {
  return (c >= 49 && c <= 57) || (c >= 65 && c <= 90 && c !== 79);
}

function isUpperAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}

/** Index of the first character of `s[start, end)` outside A-Z, a-z and 0-9, or -1. */
function firstNotAlnum(s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isUpperAlnum(c) && (c < 97 || c > 122)) return i;
  }
  return -1;
}

/**
 * The container identification character `b` of 017: a digit or upper-case letter chosen by
 * the manufacturer (1 the primary collection container), `y` a whole set of integrally attached
 * containers, `z` a carton of sets; the other lower-case letters are reserved.
 */
function isContainerCharacter(c: number): boolean {
  return isUpperAlnum(c) || c === 121 || c === 122;
}

/** A-Z and 0-9, and with `noLetterO` the letter O excluded (FIN characters). */
function allUpperAlnum(s: string, start: number, end: number, noLetterO: boolean): number {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (!isUpperAlnum(c) || (noLetterO && c === 79)) return i;
  }
  return -1;
}

/** ISBT 128 `cyyjjj`: a three-digit year since 2000 (`019` is 2019) and an ordinal day. */
function isbtDate(s: string, i: number): string | undefined {
  const cyy = digitsAt(s, i, 3);
  const jjj = digitsAt(s, i + 3, 3);
  return cyy < 0 || jjj < 0 ? undefined : ordinalDate(2000 + cyy, jjj);
}

function contentProblem(di: string, s: string, start: number, end: number): UdiIssue | undefined {
  let bad = -1;
  switch (di) {
    case PPIC:
      bad = Math.max(
        allUpperAlnum(s, start, start + 5, true),
        allUpperAlnum(s, start + 5, end, false),
      );
      break;
    case DIN:
      bad = Math.max(
        allUpperAlnum(s, start, start + 3, true),
        digitsAt(s, start + 3, 10) < 0 ? start + 3 : -1,
        allUpperAlnum(s, start + 13, end, false),
      );
      break;
    case PRODUCT_DIVISIONS:
    case MPHO_LOT:
      bad = allUpperAlnum(s, start, end, false);
      break;
    case CONTAINER:
      // bqqwwwwwww: b, the manufacturer code qq (A-Z, 0-9), the catalogue number (A-Z, a-z, 0-9).
      bad = Math.max(
        isContainerCharacter(s.charCodeAt(start)) ? -1 : start,
        allUpperAlnum(s, start + 1, start + 3, false),
        firstNotAlnum(s, start + 3, end),
      );
      break;
    case ITEM:
      bad = Math.max(allUpperAlnum(s, start, start + 2, false), firstNotAlnum(s, start + 2, end));
      break;
    case CONTAINER_LOT:
    case ITEM_LOT:
      bad = firstNotAlnum(s, start, end);
      break;
    default:
      for (let i = start; i < end && bad < 0; i++) {
        const c = s.charCodeAt(i);
        if (c < 33 || c > 126) bad = i;
      }
  }
  if (bad >= 0) {
    return udiIssue(
      UdiIssueCode.ISBT128_INVALID_CHARACTER,
      `data structure ${di}: invalid character ${JSON.stringify(s.charAt(bad))}`,
      bad,
    );
  }
  const dated =
    di === '=>' || di === '&>' || di === '=}' || di === '&}' || di === '=*' || di === '&*';
  const timed = di.charAt(0) === '&';
  if (
    dated &&
    (isbtDate(s, start) === undefined ||
      (timed &&
        (twoDigits(s, start + 6) > 23 ||
          twoDigits(s, start + 6) < 0 ||
          twoDigits(s, start + 8) > 59 ||
          twoDigits(s, start + 8) < 0)))
  ) {
    return udiIssue(
      UdiIssueCode.ISBT128_INVALID_DATE,
      `data structure ${di}: not a valid date (cyyjjj${timed ? 'hhmm' : ''})`,
      start,
    );
  }
  return undefined;
}

/** Parses ISBT 128 data `s[start, end)`: one data structure, or several (a compound message). */
export function parseIsbt128(s: string, start: number, end: number): UdiParseResult {
  const elements: UdiElement[] = [];
  const errors: UdiIssue[] = [];
  let declaredCount = -1;
  let i = start;
  while (i < end && errors.length === 0) {
    const c0 = s.charCodeAt(i);
    const c1 = s.charCodeAt(i + 1);
    let di: string;
    if (c0 === 61 && isDinLead(c1)) di = DIN;
    else if (c0 === 38 && c1 === 44) di = s.slice(i, i + 3);
    else di = s.slice(i, i + 2);
    const contentStart = i + di.length;
    if (di === COMPOUND && i === start) {
      declaredCount = digitsAt(s, contentStart, 2);
      if (declaredCount < 0 || digitsAt(s, contentStart + 2, 3) < 0) {
        errors.push(
          udiIssue(
            UdiIssueCode.ISBT128_INVALID_CHARACTER,
            'compound message header must be =+aabbb with digits',
            contentStart,
          ),
        );
        break;
      }
      elements.push({ ai: di, value: s.slice(contentStart, contentStart + 5) });
      i = contentStart + 5;
      continue;
    }
    const length = di === DIN ? 15 : CONTENT_LENGTH.get(di);
    if (length === undefined || (c0 !== 61 && c0 !== 38)) {
      errors.push(
        udiIssue(
          UdiIssueCode.ISBT128_UNKNOWN_DATA_IDENTIFIER,
          `${JSON.stringify(di)} is not an ISBT 128 data identifier this parser reads`,
          i,
        ),
      );
      break;
    }
    const contentEnd = (di === DIN ? i + 1 : contentStart) + length;
    if (contentEnd > end) {
      errors.push(
        udiIssue(
          UdiIssueCode.ISBT128_TRUNCATED,
          `data structure ${di} needs ${length} characters of content`,
          i,
        ),
      );
      break;
    }
    const valueStart = di === DIN ? i + 1 : contentStart;
    const problem = contentProblem(di, s, valueStart, contentEnd);
    if (problem !== undefined) errors.push(problem);
    const value = s.slice(valueStart, contentEnd);
    const earlier = elements.find((e) => e.ai === di);
    if (earlier !== undefined && earlier.value !== value) {
      errors.push(
        udiIssue(
          UdiIssueCode.ISBT128_CONFLICTING_DUPLICATE,
          `data structure ${di} appears twice with different content`,
          i,
        ),
      );
    }
    elements.push({ ai: di, value });
    i = contentEnd;
  }
  const structures = declaredCount < 0 ? elements.length : elements.length - 1;
  if (errors.length === 0 && declaredCount >= 0 && declaredCount !== structures) {
    errors.push(
      udiIssue(
        UdiIssueCode.ISBT128_COMPOUND_COUNT_MISMATCH,
        `compound message declares ${declaredCount} data structures, ${structures} follow`,
        start,
      ),
    );
  }
  const value = (di: string): string | undefined => elements.find((e) => e.ai === di)?.value;
  if (errors.length > 0) return { ok: false, errors };
  for (const [lotDi, ofDi] of USED_WITH) {
    if (value(lotDi) !== undefined && value(ofDi) === undefined) {
      errors.push(
        udiIssue(
          UdiIssueCode.ISBT128_UNPAIRED_STRUCTURE,
          `the lot number ${lotDi} is only valid with the manufacturer and catalogue number ${ofDi} it belongs to; scan that too`,
          start,
        ),
      );
    }
  }
  const ppic = value(PPIC);
  const container = value(CONTAINER);
  if (ppic !== undefined && container !== undefined) {
    errors.push(
      udiIssue(
        UdiIssueCode.ISBT128_AMBIGUOUS_DEVICE_IDENTIFIER,
        'both a PPIC (=/) and a container identification (=)): two devices in one scan',
        start,
      ),
    );
  }
  const deviceIdentifier = ppic ?? container;
  if (errors.length === 0 && deviceIdentifier === undefined) {
    errors.push(
      udiIssue(
        UdiIssueCode.ISBT128_NO_DEVICE_IDENTIFIER,
        'no Processor Product Identification Code (=/) or container identification (=)): not a device identifier',
        start,
      ),
    );
  }
  if (errors.length > 0 || deviceIdentifier === undefined) return { ok: false, errors };

  const warnings: UdiIssue[] = [];
  const udi: Udi = { format: 'iccbba', issuingAgency: 'ICCBBA', deviceIdentifier, elements };
  if (ppic !== undefined) {
    if (value(DIN) === undefined || value(PRODUCT_DIVISIONS) === undefined) {
      warnings.push(
        udiIssue(
          UdiIssueCode.ISBT128_MISSING_TRACEABILITY_PI,
          'ISBT 128 requires the Donation Identification Number and Product Divisions with the PPIC; scan them too',
        ),
      );
    }
    const divisions = value(PRODUCT_DIVISIONS);
    if (divisions !== undefined) udi.serialNumber = divisions;
    const lot = value(MPHO_LOT);
    if (lot !== undefined) udi.lotNumber = lot;
  } else {
    // A blood container set: its lot is its production identifier (018, printed as its own bar code).
    const lot = value(CONTAINER_LOT);
    if (lot === undefined) {
      warnings.push(
        udiIssue(
          UdiIssueCode.ISBT128_MISSING_TRACEABILITY_PI,
          'a container identification (=)) without its Container Lot Number (&)); scan that too',
        ),
      );
    } else {
      udi.lotNumber = lot;
    }
  }
  const expiry = value('=>') ?? value('&>');
  const expirationDate = expiry === undefined ? undefined : isbtDate(expiry, 0);
  if (expirationDate !== undefined) udi.expirationDate = expirationDate;
  const production = value('=}') ?? value('&}');
  const manufactureDate = production === undefined ? undefined : isbtDate(production, 0);
  if (manufactureDate !== undefined) udi.manufactureDate = manufactureDate;
  return { ok: true, udi, warnings };
}
