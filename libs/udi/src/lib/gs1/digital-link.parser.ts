import { UdiIssueCode, udiIssue } from '../udi-issue-code';
import type { UdiElement, UdiIssue, UdiParseResult } from '../udi.types';
import { aiDefinition, lookupAi } from './ai-table';
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

/** DL_QUALIFIERS by the key's AI ordinal, qualifiers as ordinals, so matching compares numbers. */
const CHAINS_BY_ORDINAL: (readonly (readonly number[])[] | undefined)[] = [];
for (const [key, chains] of DL_QUALIFIERS) {
  const ordinal = (x: string): number => aiDefinition(x)?.ordinal ?? -1;
  CHAINS_BY_ORDINAL[ordinal(key)] = chains.map((chain) => chain.map(ordinal));
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Percent-decodes `s[start, end)`; undefined when a `%` is not followed by two hex digits. */
function percentDecode(s: string, start: number, end: number): string | undefined {
  let pct = start;
  while (pct < end && s.charCodeAt(pct) !== 37) pct++;
  if (pct === end) return s.slice(start, end);
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

function lowerAt(s: string, i: number): number {
  return s.charCodeAt(i) | 0x20;
}

/** Index just after `http://` or `https://` (any case), or -1. */
function afterScheme(s: string, start: number, end: number): number {
  if (
    end - start < 7 ||
    lowerAt(s, start) !== 104 ||
    lowerAt(s, start + 1) !== 116 ||
    lowerAt(s, start + 2) !== 116 ||
    lowerAt(s, start + 3) !== 112
  ) {
    return -1;
  }
  const i = lowerAt(s, start + 4) === 115 ? start + 5 : start + 4;
  return s.charCodeAt(i) === 58 && s.charCodeAt(i + 1) === 47 && s.charCodeAt(i + 2) === 47
    ? i + 3
    : -1;
}

export function looksLikeUri(s: string, start: number, end: number): boolean {
  return afterScheme(s, start, end) >= 0;
}

/** The AI whose digits are exactly `s[start, end)`, or undefined. */
function aiOfSegment(s: string, start: number, end: number): AiDefinition | undefined {
  const found = lookupAi(s, start, end);
  return typeof found === 'object' && start + found.ai.length === end ? found : undefined;
}

/** Index in `chains` of the qualifier path that holds the AI, or -1. */
function chainOf(chains: readonly (readonly number[])[], ordinal: number): number {
  for (let c = 0; c < chains.length; c++) if (chains[c]?.includes(ordinal) === true) return c;
  return -1;
}

/** Validates one AI value of the URI (percent-decoded) and adds it to `elements`. */
function addElement(
  def: AiDefinition,
  s: string,
  rawStart: number,
  rawEnd: number,
  ctx: Gs1Context,
  elements: UdiElement[],
  defs: AiDefinition[],
  errors: UdiIssue[],
): void {
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
  defs.push(def);
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
  const authority = afterScheme(s, start, end);
  let pathStart = authority;
  for (; pathStart < end; pathStart++) {
    const c = s.charCodeAt(pathStart);
    if (c === 47 || c === 63 || c === 35) break;
  }
  if (authority < 0 || pathStart === authority) {
    return {
      ok: false,
      errors: [udiIssue(UdiIssueCode.GS1_DL_INVALID_URI, 'not an http(s) URI with a host', start)],
    };
  }
  // One pass over the path: segment bounds as start/end pairs, up to the query or fragment.
  const bounds: number[] = [];
  let query = pathStart;
  let segmentStart = pathStart + 1;
  for (; query < end; query++) {
    const c = s.charCodeAt(query);
    if (c === 63 || c === 35) break;
    if (c === 47 && query > pathStart) {
      if (query > segmentStart) bounds.push(segmentStart, query);
      segmentStart = query + 1;
    }
  }
  if (query > segmentStart) bounds.push(segmentStart, query);
  let fragment = query;
  while (fragment < end && s.charCodeAt(fragment) !== 35) fragment++;
  const segments = bounds.length / 2;

  let keyIndex = -1;
  let key: AiDefinition | undefined;
  for (let k = 0; k < segments && keyIndex < 0; k++) {
    if ((segments - k) % 2 !== 0) continue;
    const candidate = aiOfSegment(s, bounds[2 * k] ?? 0, bounds[2 * k + 1] ?? 0);
    if (candidate === undefined || CHAINS_BY_ORDINAL[candidate.ordinal] === undefined) continue;
    let allAis = true;
    for (let q = k + 2; q < segments && allAis; q += 2) {
      allAis = aiOfSegment(s, bounds[2 * q] ?? 0, bounds[2 * q + 1] ?? 0) !== undefined;
    }
    if (allAis) {
      keyIndex = k;
      key = candidate;
    }
  }
  if (key === undefined) {
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
  const defs = ctx.defs;
  const errors: UdiIssue[] = [];
  const warnings: UdiIssue[] = [];
  const chains = CHAINS_BY_ORDINAL[key.ordinal] ?? [];
  let chain = -1;
  let lastRank = -1;
  for (let k = keyIndex; k < segments; k += 2) {
    const aiStart = bounds[2 * k] ?? 0;
    const def = aiOfSegment(s, aiStart, bounds[2 * k + 1] ?? 0) ?? key;
    if (k > keyIndex) {
      if (chain < 0) chain = chainOf(chains, def.ordinal);
      const rank = chain < 0 ? -1 : (chains[chain]?.indexOf(def.ordinal) ?? -1);
      if (rank < 0) {
        errors.push(
          udiIssue(
            UdiIssueCode.GS1_DL_INVALID_PATH,
            `AI (${def.ai}) is not a path qualifier of AI (${key.ai}); it belongs in the query string`,
            aiStart,
          ),
        );
        continue;
      }
      if (rank < lastRank) {
        warnings.push(
          udiIssue(
            UdiIssueCode.GS1_DL_QUALIFIER_ORDER,
            `AI (${def.ai}) is out of the order the Digital Link standard sets for AI (${key.ai})`,
            aiStart,
          ),
        );
      }
      lastRank = rank;
    }
    addElement(def, s, bounds[2 * k + 2] ?? 0, bounds[2 * k + 3] ?? 0, ctx, elements, defs, errors);
  }

  for (let i = query + 1; i < fragment;) {
    let amp = i;
    let eq = -1;
    for (; amp < fragment; amp++) {
      const c = s.charCodeAt(amp);
      if (c === 38) break;
      if (c === 61 && eq < 0) eq = amp;
    }
    if (eq > i && isAllDigits(s, i, eq)) {
      const def = aiOfSegment(s, i, eq);
      if (def === undefined) {
        errors.push(
          udiIssue(
            UdiIssueCode.GS1_UNKNOWN_AI,
            `query parameter ${s.slice(i, eq)} is not a GS1 Application Identifier`,
            i,
          ),
        );
      } else {
        addElement(def, s, eq + 1, amp, ctx, elements, defs, errors);
      }
    }
    i = amp + 1;
  }
  return buildGs1Udi('gs1-digital-link', elements, defs, ctx, errors, warnings);
}
