import { isValidGs1CheckDigit } from './check-digits.util';
import { looksLikeUri, parseDigitalLink } from './gs1/digital-link.parser';
import { aiDefinition } from './gs1/ai-table';
import type { AiDefinition } from './gs1/ai-table';
import { parseElementString, parseHumanReadable } from './gs1/element-string.parser';
import { Gs1Context } from './gs1/gs1-context';
import { buildGs1Udi } from './gs1/gs1-udi.builder';
import { isCset82 } from './gs1/element-value.validator';
import { parseHibcc } from './hibcc/hibcc.parser';
import { parseIsbt128 } from './iccbba/isbt128.parser';
import { UdiIssueCode, udiIssue } from './udi-issue-code';
import type { ParseUdiOptions, UdiElement, UdiIssue, UdiParseResult } from './udi.types';

/**
 * Longer than any symbol a device label can carry (QR Code holds at most 7,089 characters), so
 * a longer input is rejected before any parsing, whatever it holds.
 */
export const MAX_SCAN_LENGTH = 8192;

const GS = 29;

const context = new Gs1Context();

/** What the symbology identifier (ISO/IEC 15424) at the start of a scan says about its data. */
const Symbology = { NONE: 0, GS1: 1, EAN13: 2, EAN8: 3, EAN_ADD_ON: 4, OTHER: 5 } as const;
type Symbology = (typeof Symbology)[keyof typeof Symbology];

/** `]C1 ]d2 ]Q3 ]e0 ]J1` carry GS1 element strings; `]E0`/`]E4` EAN-13/UPC-A and EAN-8. */
function symbologyOf(scan: string): Symbology {
  const kind = scan.charCodeAt(1);
  const modifier = scan.charCodeAt(2);
  switch (kind) {
    case 67: // C: Code 128
    case 74: // J: DotCode
      return modifier === 49 ? Symbology.GS1 : Symbology.OTHER;
    case 100: // d: Data Matrix
      return modifier === 50 ? Symbology.GS1 : Symbology.OTHER;
    case 81: // Q: QR Code
      return modifier === 51 ? Symbology.GS1 : Symbology.OTHER;
    case 101: // e: GS1 DataBar
      return modifier === 48 ? Symbology.GS1 : Symbology.OTHER;
    case 69: // E: EAN/UPC
      return modifier === 48
        ? Symbology.EAN13
        : modifier === 52
          ? Symbology.EAN8
          : Symbology.EAN_ADD_ON;
    default:
      return Symbology.OTHER;
  }
}

function failure(code: UdiIssueCode, message: string, position?: number): UdiParseResult {
  return { ok: false, errors: [udiIssue(code, message, position)] };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * The scan with every configured GS alias replaced by GS, and for each character of the result
 * its index in the original, so issue positions still point into what the caller passed.
 */
function replaceAliases(
  scan: string,
  from: number,
  end: number,
  aliases: readonly string[],
): { s: string; map: number[] } {
  let s = scan.slice(0, from);
  const map: number[] = [];
  for (let i = 0; i < from; i++) map.push(i);
  let i = from;
  while (i < end) {
    const alias = aliases.find((a) => scan.startsWith(a, i) && i + a.length <= end);
    map.push(i);
    if (alias === undefined) {
      s += scan.charAt(i);
      i++;
    } else {
      s += '\u001d';
      i += alias.length;
    }
  }
  map.push(end);
  return { s, map };
}

function invalidAlias(aliases: readonly unknown[]): string | undefined {
  for (const a of aliases) {
    if (typeof a !== 'string' || a.length === 0)
      return 'gsAliases entries must be non-empty strings';
    if (a.length === 1 && isCset82(a, 0, 1)) {
      return `gsAliases: ${JSON.stringify(a)} is a GS1 data character and cannot stand for GS`;
    }
  }
  return undefined;
}

/** A bare 8, 12, 13 or 14 digit string with a valid check digit, as EAN/UPC/ITF-14 scans arrive without symbology identifiers. */
function bareGtin(s: string, start: number, end: number): string | undefined {
  const n = end - start;
  if (n !== 8 && n !== 12 && n !== 13 && n !== 14) return undefined;
  for (let i = start; i < end; i++) if (!isDigit(s.charCodeAt(i))) return undefined;
  return isValidGs1CheckDigit(s, start, end) ? s.slice(start, end).padStart(14, '0') : undefined;
}

const GTIN_DEFINITION = aiDefinition('01') as AiDefinition;

function gtinOnly(gtin: string, ctx: Gs1Context, warnings: UdiIssue[]): UdiParseResult {
  const elements: UdiElement[] = [{ ai: '01', value: gtin }];
  return buildGs1Udi('gs1', elements, [GTIN_DEFINITION], ctx, [], warnings);
}

function parseEanUpc(
  s: string,
  start: number,
  end: number,
  ean8: boolean,
  ctx: Gs1Context,
): UdiParseResult {
  const n = end - start;
  const gtin = (ean8 ? n === 8 : n === 13 || n === 12) ? bareGtin(s, start, end) : undefined;
  if (gtin === undefined) {
    return failure(
      UdiIssueCode.GS1_EAN_UPC_INVALID,
      `${s.slice(0, 3)} data must be ${ean8 ? 8 : 13} digits with a valid check digit`,
      start,
    );
  }
  return gtinOnly(gtin, ctx, []);
}

function parseGs1(
  s: string,
  start: number,
  end: number,
  ctx: Gs1Context,
  bareDigits: boolean,
): UdiParseResult {
  const elements: UdiElement[] = [];
  const errors: UdiIssue[] = [];
  const syntaxOk = parseElementString(s, start, end, ctx, elements, ctx.defs, errors, true);
  if (!syntaxOk && bareDigits) {
    const gtin = bareGtin(s, start, end);
    if (gtin !== undefined) {
      // What the failed element-string reading found inside values does not apply to a GTIN.
      ctx.swallowed = null;
      return gtinOnly(gtin, ctx, [
        udiIssue(
          UdiIssueCode.GS1_BARE_GTIN_ASSUMED,
          'digits without Application Identifiers read as an EAN/UPC/ITF-14 GTIN; confirm against the label',
          start,
        ),
      ]);
    }
  }
  if (!syntaxOk) return { ok: false, errors };
  return buildGs1Udi('gs1', elements, ctx.defs, ctx, errors, []);
}

function dispatch(
  s: string,
  start: number,
  end: number,
  symbology: Symbology,
  ctx: Gs1Context,
): UdiParseResult {
  const c = s.charCodeAt(start);
  if (symbology === Symbology.EAN13 || symbology === Symbology.EAN8) {
    return parseEanUpc(s, start, end, symbology === Symbology.EAN8, ctx);
  }
  if (symbology === Symbology.EAN_ADD_ON) {
    return failure(
      UdiIssueCode.UNSUPPORTED_SYMBOLOGY,
      `symbology ${s.slice(0, 3)} (EAN/UPC add-on) carries no UDI`,
      0,
    );
  }
  if (symbology === Symbology.GS1 || c === GS) return parseGs1(s, start, end, ctx, false);
  if (c === 40) {
    const elements: UdiElement[] = [];
    const errors: UdiIssue[] = [];
    if (!parseHumanReadable(s, start, end, ctx, elements, ctx.defs, errors))
      return { ok: false, errors };
    return buildGs1Udi('gs1', elements, ctx.defs, ctx, errors, []);
  }
  if (c === 43) return parseHibcc(s, start, end);
  if (c === 42 && s.charCodeAt(start + 1) === 43 && s.charCodeAt(end - 1) === 42) {
    // The human-readable line of a HIBC Code 39 label shows the start/stop characters.
    return parseHibcc(s, start + 1, end - 1);
  }
  if (c === 61 || c === 38) return parseIsbt128(s, start, end);
  if ((c === 104 || c === 72) && looksLikeUri(s, start, end))
    return parseDigitalLink(s, start, end, ctx);
  if (isDigit(c)) {
    if (symbology !== Symbology.NONE) {
      return failure(
        UdiIssueCode.NON_GS1_SYMBOLOGY,
        `symbology ${s.slice(0, 3)} has no FNC1 in first position, so its digits are not GS1 data`,
        0,
      );
    }
    return parseGs1(s, start, end, ctx, true);
  }
  return failure(
    UdiIssueCode.UNRECOGNISED_FORMAT,
    'not a GS1, HIBCC or ISBT 128 UDI (nor a GS1 Digital Link URI)',
    start,
  );
}

function remapPositions(result: UdiParseResult, map: readonly number[]): UdiParseResult {
  const remap = (issues: UdiIssue[]): void => {
    for (const issue of issues) {
      if (issue.position !== undefined) issue.position = map[issue.position] ?? issue.position;
    }
  };
  remap(result.ok ? result.warnings : result.errors);
  return result;
}

/**
 * Parses one scan as a barcode scanner delivers it. Never throws: any input gives either the
 * UDI with warnings, or the errors that say why it is not one.
 */
export function parseUdi(scan: string, options?: ParseUdiOptions): UdiParseResult {
  if (typeof scan !== 'string')
    return failure(UdiIssueCode.UNRECOGNISED_FORMAT, 'the scan is not a string');
  if (scan.length > MAX_SCAN_LENGTH) {
    return failure(
      UdiIssueCode.INPUT_TOO_LONG,
      `the scan has ${scan.length} characters; no UDI symbol holds more than ${MAX_SCAN_LENGTH}`,
    );
  }
  let end = scan.length;
  // One CR, LF or CRLF is a scanner suffix; spaces stay, as a HIBCC check character can be one.
  if (scan.charCodeAt(end - 1) === 10) end--;
  if (scan.charCodeAt(end - 1) === 13) end--;
  let start = 0;
  let symbology: Symbology = Symbology.NONE;
  if (scan.charCodeAt(0) === 93 && end >= 3) {
    symbology = symbologyOf(scan);
    start = 3;
  }
  if (start >= end) return failure(UdiIssueCode.EMPTY_INPUT, 'the scan holds no data');

  const aliases = options?.gsAliases;
  if (aliases !== undefined && !Array.isArray(aliases)) {
    return failure(UdiIssueCode.INVALID_OPTION, 'gsAliases must be an array of strings');
  }
  const problem = aliases === undefined ? undefined : invalidAlias(aliases);
  if (problem !== undefined) return failure(UdiIssueCode.INVALID_OPTION, problem);
  const clock = options?.clock;
  let clockYear: number | undefined;
  if (clock !== undefined) {
    const now: unknown = typeof clock.now === 'function' ? clock.now() : undefined;
    clockYear = now instanceof Date ? now.getUTCFullYear() : NaN;
    if (!Number.isInteger(clockYear) || (clockYear ?? -1) < 0) {
      return failure(UdiIssueCode.INVALID_OPTION, 'clock.now() must return a valid Date');
    }
  }
  const ctx = context.reset(clockYear);
  if (aliases === undefined || aliases.length === 0)
    return dispatch(scan, start, end, symbology, ctx);
  const { s, map } = replaceAliases(scan, start, end, aliases);
  return remapPositions(dispatch(s, start, s.length, symbology, ctx), map);
}
