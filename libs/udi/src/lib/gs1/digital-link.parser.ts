import { UdiIssueCode, udiIssue } from '../udi-issue-code';
import type { UdiElement, UdiIssue, UdiParseResult } from '../udi.types';
import { aiDefinition } from './ai-table';
import type { AiDefinition } from './ai-table';
import type { Gs1Context } from './gs1-context';
import { validateAiValue } from './element-value.validator';
import { buildGs1Udi } from './gs1-udi.builder';

/**
 * GS1 Digital Link URI syntax 1.x: primary keys that may start the AI path, each with the
 * qualifier paths it accepts, in their mandated order.
 */
export const DL_QUALIFIERS: ReadonlyMap<string, readonly (readonly string[])[]> = new Map<
  string,
  readonly (readonly string[])[]
>([
  ['01', [['22', '10', '21'], ['235']]],
  ['8006', [['22', '10', '21']]],
  ['8013', [['7240']]],
  ['8010', [['8011']]],
  ['414', [['254'], ['7040']]],
  ['415', [['8020']]],
  ['417', [['7040']]],
  ['8017', [['8019']]],
  ['8018', [['8019']]],
  ['00', []],
  ['253', []],
  ['255', []],
  ['401', []],
  ['402', []],
  ['8003', []],
  ['8004', []],
]);

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Percent-decodes `s[start, end)`; undefined when a `%` is not followed by two hex digits. */
function percentDecode(s: string, start: number, end: number): string | undefined {
  const pct = s.indexOf('%', start);
  if (pct < 0 || pct >= end) return s.slice(start, end);
  let out = s.slice(start, pct);
  for (let i = pct; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c !== 37) {
      out += s.charAt(i);
      continue;
    }
    const hi = i + 2 < end ? hexValue(s.charCodeAt(i + 1)) : -1;
    const lo = hi < 0 ? -1 : hexValue(s.charCodeAt(i + 2));
    if (lo < 0) return undefined;
    out += String.fromCharCode(hi * 16 + lo);
    i += 2;
  }
  return out;
}

function isAllDigits(s: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Index just after `http://` or `https://` (any case), or -1. */
function afterScheme(s: string, start: number, end: number): number {
  const lower = s.slice(start, Math.min(end, start + 8)).toLowerCase();
  if (lower.startsWith('https://')) return start + 8;
  if (lower.startsWith('http://')) return start + 7;
  return -1;
}

export function looksLikeUri(s: string, start: number, end: number): boolean {
  return afterScheme(s, start, end) >= 0;
}

interface Segment {
  start: number;
  end: number;
}

/**
 * Parses a GS1 Digital Link URI on any domain: the AI path (after any prefix path of the
 * resolver's own) and the AIs of the query string. Other query parameters are ignored.
 */
export function parseDigitalLink(
  s: string,
  start: number,
  end: number,
  ctx: Gs1Context,
): UdiParseResult {
  const errors: UdiIssue[] = [];
  const warnings: UdiIssue[] = [];
  const authority = afterScheme(s, start, end);
  let pathStart = authority;
  while (pathStart < end && '/?#'.indexOf(s.charAt(pathStart)) < 0) pathStart++;
  if (authority < 0 || pathStart === authority) {
    return {
      ok: false,
      errors: [udiIssue(UdiIssueCode.GS1_DL_INVALID_URI, 'not an http(s) URI with a host', start)],
    };
  }
  let fragment = s.indexOf('#', pathStart);
  if (fragment < 0 || fragment > end) fragment = end;
  let query = s.indexOf('?', pathStart);
  if (query < 0 || query > fragment) query = fragment;

  const segments: Segment[] = [];
  for (let i = pathStart; i < query;) {
    let next = s.indexOf('/', i + 1);
    if (next < 0 || next > query) next = query;
    if (next > i + 1) segments.push({ start: i + 1, end: next });
    i = next;
  }

  let keyIndex = -1;
  for (let k = 0; k < segments.length && keyIndex < 0; k++) {
    const seg = segments[k] as Segment;
    if ((segments.length - k) % 2 !== 0 || !DL_QUALIFIERS.has(s.slice(seg.start, seg.end)))
      continue;
    let allAis = true;
    for (let q = k + 2; q < segments.length && allAis; q += 2) {
      const qs = segments[q] as Segment;
      allAis =
        isAllDigits(s, qs.start, qs.end) && aiDefinition(s.slice(qs.start, qs.end)) !== undefined;
    }
    if (allAis) keyIndex = k;
  }
  if (keyIndex < 0) {
    return {
      ok: false,
      errors: [
        udiIssue(
          UdiIssueCode.GS1_DL_NO_PRIMARY_KEY,
          'the URI path carries no GS1 primary key such as /01/{GTIN}',
          pathStart,
        ),
      ],
    };
  }

  const elements: UdiElement[] = [];
  const addElement = (def: AiDefinition, rawStart: number, rawEnd: number): void => {
    let value = percentDecode(s, rawStart, rawEnd);
    if (value === undefined) {
      errors.push(
        udiIssue(
          UdiIssueCode.GS1_DL_INVALID_PERCENT_ENCODING,
          `AI (${def.ai}): bad percent-encoding`,
          rawStart,
        ),
      );
      return;
    }
    // GS1 Digital Link allows GTIN-8, -12 and -13 in the path; the UDI carries the GTIN-14 form.
    if (def.ai === '01' && (value.length === 8 || value.length === 12 || value.length === 13)) {
      value = value.padStart(14, '0');
    }
    const problem = validateAiValue(def, value, 0, value.length, ctx);
    if (problem !== undefined) errors.push({ ...problem, position: rawStart });
    elements.push({ ai: def.ai, value });
  };

  const keySeg = segments[keyIndex] as Segment;
  const key = s.slice(keySeg.start, keySeg.end);
  const chains = DL_QUALIFIERS.get(key) ?? [];
  let chain: readonly string[] | undefined;
  let lastRank = -1;
  for (let k = keyIndex; k < segments.length; k += 2) {
    const aiSeg = segments[k] as Segment;
    const valueSeg = segments[k + 1] as Segment;
    const ai = s.slice(aiSeg.start, aiSeg.end);
    if (k > keyIndex) {
      chain ??= chains.find((c) => c.includes(ai));
      const rank = chain === undefined ? -1 : chain.indexOf(ai);
      if (rank < 0) {
        errors.push(
          udiIssue(
            UdiIssueCode.GS1_DL_INVALID_PATH,
            `AI (${ai}) is not a path qualifier of AI (${key}); it belongs in the query string`,
            aiSeg.start,
          ),
        );
        continue;
      }
      if (rank < lastRank) {
        warnings.push(
          udiIssue(
            UdiIssueCode.GS1_DL_QUALIFIER_ORDER,
            `AI (${ai}) is out of the order the Digital Link standard sets for AI (${key})`,
            aiSeg.start,
          ),
        );
      }
      lastRank = rank;
    }
    addElement(aiDefinition(ai) as AiDefinition, valueSeg.start, valueSeg.end);
  }

  for (let i = query + 1; i < fragment;) {
    let amp = s.indexOf('&', i);
    if (amp < 0 || amp > fragment) amp = fragment;
    const eq = s.indexOf('=', i);
    if (eq > i && eq < amp && isAllDigits(s, i, eq)) {
      const def = aiDefinition(s.slice(i, eq));
      if (def === undefined) {
        errors.push(
          udiIssue(
            UdiIssueCode.GS1_UNKNOWN_AI,
            `query parameter ${s.slice(i, eq)} is not a GS1 Application Identifier`,
            i,
          ),
        );
      } else {
        addElement(def, eq + 1, amp);
      }
    }
    i = amp + 1;
  }
  return buildGs1Udi('gs1-digital-link', elements, ctx, errors, warnings, null);
}
