import { UdiIssueCode, udiIssue } from '../udi-issue-code';
import type { UdiElement, UdiIssue, UdiParseResult } from '../udi.types';
import { ALL_AI_DEFINITIONS, aiDefinition, lookupAi } from './ai-table';
import type { AiDefinition } from './ai-table';
import type { Gs1Context } from './gs1-context';
import { validateAiValue } from './element-value.validator';
import { buildGs1Udi } from './gs1-udi.builder';

/**
 * GS1 Digital Link URI syntax (1.4, 1.5) as the GS1 Barcode Syntax Engine reads it: the primary
 * keys and, for each, its alternative qualifier paths, every qualifier optional but in this
 * order. These are the `dlpkey` attributes of the GS1 Barcode Syntax Dictionary.
 */
export const DL_QUALIFIERS: ReadonlyMap<string, readonly (readonly string[])[]> = new Map<
  string,
  readonly (readonly string[])[]
>([
  ['00', []],
  ['01', [['22', '10', '21'], ['235']]],
  ['253', []],
  ['255', []],
  ['401', []],
  ['402', []],
  ['414', [['254'], ['7040']]],
  ['415', [['8020']]],
  ['417', [['7040']]],
  ['8003', []],
  ['8004', [['7040']]],
  ['8006', [['22', '10', '21']]],
  ['8010', [['8011']]],
  ['8013', []],
  ['8017', [['8019']]],
  ['8018', [['8019']]],
]);

/**
 * AIs of the table that the Syntax Dictionary does not flag `?`, "permitted as a GS1 Digital
 * Link data attribute": they may not appear in the query string (the qualifiers among them
 * belong in the path).
 */
export const NOT_DATA_ATTRIBUTES: ReadonlySet<string> = new Set([
  '21',
  '22',
  '235',
  '254',
  '7040',
  '7041',
  '8011',
  '8014',
  '8019',
  '8020',
  '8200',
]);

/**
 * The short names ("convenience alphas") of URI syntax 1.0, deprecated since 1.2: the engine
 * reads none of them unless told to, and this parser never does. `exp` is the one of an
 * attribute (AI 17) that early Digital Link tools wrote.
 */
const SHORT_NAMES: ReadonlyMap<string, string> = new Map([
  ['cpid', '8010'],
  ['cpsn', '8011'],
  ['cpv', '22'],
  ['exp', '17'],
  ['gcn', '255'],
  ['gdti', '253'],
  ['giai', '8004'],
  ['ginc', '401'],
  ['gln', '414'],
  ['glnx', '254'],
  ['gmn', '8013'],
  ['grai', '8003'],
  ['gsin', '402'],
  ['gsrn', '8018'],
  ['gsrnp', '8017'],
  ['gtin', '01'],
  ['itip', '8006'],
  ['lot', '10'],
  ['party', '417'],
  ['refno', '8020'],
  ['ser', '21'],
  ['srin', '8019'],
  ['sscc', '00'],
]);

function ordinalOf(ai: string): number {
  const def = aiDefinition(ai);
  if (def === undefined) throw new Error(`Digital Link tables: unknown AI ${ai}`);
  return def.ordinal;
}

/** DL_QUALIFIERS by the key's AI ordinal, qualifiers as ordinals, so matching compares numbers. */
const CHAINS_BY_ORDINAL: (readonly (readonly number[])[] | undefined)[] = ALL_AI_DEFINITIONS.map(
  () => undefined,
);
for (const [key, chains] of DL_QUALIFIERS) {
  CHAINS_BY_ORDINAL[ordinalOf(key)] = chains.map((chain) => chain.map(ordinalOf));
}
const NOT_DATA_ATTRIBUTE_BY_ORDINAL = new Uint8Array(ALL_AI_DEFINITIONS.length);
for (const ai of NOT_DATA_ATTRIBUTES) NOT_DATA_ATTRIBUTE_BY_ORDINAL[ordinalOf(ai)] = 1;

/** The characters a URI may hold at all (RFC 3986 unreserved, reserved and `%`), by code. */
const URI_CHARACTER = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%") {
  URI_CHARACTER[c.charCodeAt(0)] = 1;
}
/** URI characters the engine refuses in a host: no user information, escapes or sub-delimiters. */
const NOT_IN_HOST = new Uint8Array(128);
for (const c of "_~?#@!$&'()*+,;=%") NOT_IN_HOST[c.charCodeAt(0)] = 1;

const SLASH = 47;
const QUESTION = 63;
const HASH = 35;
const AMPERSAND = 38;
const EQUALS = 61;
const PERCENT = 37;
const PLUS = 43;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Percent-decodes `s[start, end)`. Undefined when a `%` is not followed by two hex digits (RFC
 * 3986 section 2.1) or when it encodes NUL, which no AI value holds.
 */
function percentDecode(s: string, start: number, end: number): string | undefined {
  let pct = start;
  while (pct < end && s.charCodeAt(pct) !== PERCENT) pct++;
  if (pct === end) return s.slice(start, end);
  let out = s.slice(start, pct);
  for (let i = pct; i < end; i++) {
    if (s.charCodeAt(i) !== PERCENT) {
      out += s.charAt(i);
      continue;
    }
    const hi = i + 2 < end ? hexValue(s.charCodeAt(i + 1)) : -1;
    const lo = hi < 0 ? -1 : hexValue(s.charCodeAt(i + 2));
    if (lo < 0 || hi + lo === 0) return undefined;
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

/** Index just after `http://` or `https://` in any case, or -1. */
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

/** Whether the scheme letters `s[start, end)` are all lower case or all upper case. */
function isSingleCase(s: string, start: number, end: number): boolean {
  const upper = s.charCodeAt(start) < 97;
  for (let i = start + 1; i < end; i++) if (s.charCodeAt(i) < 97 !== upper) return false;
  return true;
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

function failure(code: UdiIssueCode, message: string, position: number): UdiParseResult {
  return { ok: false, errors: [udiIssue(code, message, position)] };
}

/**
 * Validates one percent-decoded AI value of the URI and adds it to `elements`. In the query a
 * GTIN-8, -12 or -13 is widened to 14 digits, as the engine does; in the path it is an error.
 */
function addElement(
  def: AiDefinition,
  s: string,
  rawStart: number,
  rawEnd: number,
  inPath: boolean,
  ctx: Gs1Context,
  elements: UdiElement[],
  errors: UdiIssue[],
): void {
  let value = percentDecode(s, rawStart, rawEnd);
  if (value === undefined) {
    errors.push(
      udiIssue(
        UdiIssueCode.GS1_DL_INVALID_PERCENT_ENCODING,
        `AI (${def.ai}): a % must be followed by two hex digits that are not 00`,
        rawStart,
      ),
    );
    return;
  }
  const n = value.length;
  if (def.ai === '01' && (n === 8 || n === 12 || n === 13) && isAllDigits(value, 0, n)) {
    if (inPath) {
      errors.push(
        udiIssue(
          UdiIssueCode.GS1_VALUE_TOO_SHORT,
          'AI (01): a GTIN in a Digital Link path has 14 digits (GTIN-8, -12 and -13 with leading zeros)',
          rawStart,
        ),
      );
      // Kept, so the GTIN's absence is not reported as well.
      elements.push({ ai: def.ai, value });
      ctx.defs.push(def);
      return;
    }
    value = value.padStart(14, '0');
  }
  const problem = validateAiValue(def, value, 0, value.length, ctx);
  if (problem !== undefined) errors.push({ ...problem, position: rawStart });
  elements.push({ ai: def.ai, value });
  ctx.defs.push(def);
}

/** Segment k of the path runs from just after `slashes[k]` to the next slash or `query`. */
function segmentStart(slashes: readonly number[], k: number): number {
  return (slashes[k] ?? 0) + 1;
}

function segmentEnd(slashes: readonly number[], k: number, query: number): number {
  return k + 1 < slashes.length ? (slashes[k + 1] ?? query) : query;
}

/** Why no primary key was found, for the error: a short name, an empty segment, or none. */
function noKeyFailure(
  s: string,
  slashes: readonly number[],
  query: number,
  stop: number,
): UdiParseResult {
  const n = slashes.length;
  if (stop >= 0) {
    const start = segmentStart(slashes, stop);
    const name = s.slice(start, segmentEnd(slashes, stop, query));
    const ai = SHORT_NAMES.get(name);
    if (ai !== undefined) {
      return failure(
        UdiIssueCode.GS1_DL_CONVENIENCE_ALPHA,
        `/${name}/ is the deprecated short name of AI (${ai}); the path must use the AI itself`,
        start,
      );
    }
  }
  let keySeen = false;
  for (let k = 0; k < n; k++) {
    const start = segmentStart(slashes, k);
    const end = segmentEnd(slashes, k, query);
    if (start === end && keySeen) {
      return failure(
        UdiIssueCode.GS1_DL_EMPTY_PATH_SEGMENT,
        k === n - 1 ? 'the path ends with a slash' : 'the path has an empty segment (//)',
        start - 1,
      );
    }
    const def = aiOfSegment(s, start, end);
    keySeen ||= def !== undefined && CHAINS_BY_ORDINAL[def.ordinal] !== undefined;
  }
  return failure(
    UdiIssueCode.GS1_DL_NO_PRIMARY_KEY,
    'the URI path carries no GS1 primary key such as /01/{GTIN}',
    (slashes[0] ?? 0) + 1,
  );
}

/**
 * Parses a GS1 Digital Link URI on any domain, with the rules of the GS1 Barcode Syntax Engine
 * (`gs1_parseDLuri`): the primary key is the last `/{AI}/{value}` pair of the path that is a key
 * with only known AIs after it (anything before it is the resolver's own path); its qualifiers
 * follow in the order DL_QUALIFIERS sets; data attributes are in the query string, each AI once.
 * Query parameters whose names are not all digits (`linkType`) are the resolver's and not read.
 */
export function parseDigitalLink(
  s: string,
  start: number,
  end: number,
  ctx: Gs1Context,
): UdiParseResult {
  const authority = afterScheme(s, start, end);
  if (!isSingleCase(s, start, authority - 3)) {
    return failure(
      UdiIssueCode.GS1_DL_INVALID_URI,
      'the scheme must be http or https, all in lower case or all in upper case',
      start,
    );
  }
  // One pass: every character is a URI character; the host ends at the first slash; the path
  // at the query or the fragment, the query at the fragment; the slashes of the path.
  let pathStart = -1;
  let query = -1;
  let fragment = end;
  const slashes: number[] = [];
  for (let i = authority; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || URI_CHARACTER[c] === 0) {
      return failure(
        UdiIssueCode.GS1_DL_INVALID_URI,
        `${JSON.stringify(s.charAt(i))} may not appear in a URI; it must be percent-encoded`,
        i,
      );
    }
    if (pathStart < 0) {
      if (c === SLASH) {
        pathStart = i;
        slashes.push(i);
      } else if (NOT_IN_HOST[c] === 1) {
        return failure(
          UdiIssueCode.GS1_DL_INVALID_URI,
          `${JSON.stringify(s.charAt(i))} may not appear in the host`,
          i,
        );
      }
    } else if (fragment === end) {
      if (c === HASH) {
        fragment = i;
        if (query < 0) query = i;
      } else if (query < 0) {
        if (c === QUESTION) query = i;
        else if (c === SLASH) slashes.push(i);
      }
    }
  }
  if (pathStart <= authority) {
    return failure(
      UdiIssueCode.GS1_DL_INVALID_URI,
      'not an http(s) URI with a host and a path',
      start,
    );
  }
  if (query < 0) query = end;
  const n = slashes.length;

  // From the end of the path, pairs of segments: the first whose AI is a primary key starts the
  // Digital Link path; an unknown AI first means there is none.
  let keyIndex = -1;
  let stop = -1;
  let key: AiDefinition | undefined;
  for (let k = n - 2; k >= 0; k -= 2) {
    const def = aiOfSegment(s, segmentStart(slashes, k), segmentEnd(slashes, k, query));
    if (def === undefined) {
      stop = k;
      break;
    }
    if (CHAINS_BY_ORDINAL[def.ordinal] !== undefined) {
      keyIndex = k;
      key = def;
      break;
    }
  }
  if (key === undefined) return noKeyFailure(s, slashes, query, stop);

  const elements: UdiElement[] = [];
  const defs = ctx.defs;
  const errors: UdiIssue[] = [];
  const warnings: UdiIssue[] = [];
  const chains = CHAINS_BY_ORDINAL[key.ordinal] ?? [];
  let chain = -1;
  let lastRank = -1;
  for (let k = keyIndex; k < n; k += 2) {
    const aiStart = segmentStart(slashes, k);
    const def = aiOfSegment(s, aiStart, segmentEnd(slashes, k, query)) ?? key;
    const valueStart = segmentStart(slashes, k + 1);
    const valueEnd = segmentEnd(slashes, k + 1, query);
    if (valueStart >= valueEnd) {
      errors.push(
        udiIssue(
          UdiIssueCode.GS1_DL_EMPTY_PATH_SEGMENT,
          `AI (${def.ai}) has no value: the path ${k + 1 === n - 1 ? 'ends with a slash' : 'has an empty segment (//)'}`,
          valueStart - 1,
        ),
      );
      continue;
    }
    if (k > keyIndex) {
      if (chain < 0) chain = chainOf(chains, def.ordinal);
      const rank = chain < 0 ? -1 : (chains[chain]?.indexOf(def.ordinal) ?? -1);
      if (rank < 0) {
        errors.push(
          udiIssue(
            UdiIssueCode.GS1_DL_INVALID_PATH,
            `AI (${def.ai}) is not a path qualifier of AI (${key.ai}) here; a data attribute belongs in the query string`,
            aiStart,
          ),
        );
        continue;
      }
      if (rank === lastRank) {
        errors.push(
          udiIssue(UdiIssueCode.GS1_DL_DUPLICATE_AI, `AI (${def.ai}) appears twice`, aiStart),
        );
        continue;
      }
      if (rank < lastRank) {
        errors.push(
          udiIssue(
            UdiIssueCode.GS1_DL_QUALIFIER_ORDER,
            `AI (${def.ai}) is out of the order the Digital Link standard sets for the qualifiers of AI (${key.ai})`,
            aiStart,
          ),
        );
      }
      lastRank = rank;
    }
    addElement(def, s, valueStart, valueEnd, true, ctx, elements, errors);
  }
  const pathElements = defs.length;

  for (let i = query + 1; i < fragment;) {
    let amp = i;
    let eq = -1;
    for (; amp < fragment; amp++) {
      const c = s.charCodeAt(amp);
      if (c === AMPERSAND) break;
      if (c === EQUALS && eq < 0) eq = amp;
    }
    // An empty name counts as all digits, as in the engine, which then finds no AI for it.
    if (eq === i || (eq > i && isAllDigits(s, i, eq))) {
      queryElement(s, i, eq, amp, key, pathElements, ctx, elements, errors);
    } else if (eq > i) {
      const ai = SHORT_NAMES.get(s.slice(i, eq));
      if (ai !== undefined) {
        warnings.push(
          udiIssue(
            UdiIssueCode.GS1_DL_SHORT_NAME_IGNORED,
            `query parameter ${s.slice(i, eq)} is the deprecated short name of AI (${ai}) and is not read; confirm that value with the label`,
            i,
          ),
        );
      }
    }
    i = amp + 1;
  }
  return buildGs1Udi('gs1-digital-link', elements, defs, ctx, errors, warnings);
}

/** One `{AI}={value}` query parameter `s[i, amp)` with `=` at `eq`, checked against the path. */
function queryElement(
  s: string,
  i: number,
  eq: number,
  amp: number,
  key: AiDefinition,
  pathElements: number,
  ctx: Gs1Context,
  elements: UdiElement[],
  errors: UdiIssue[],
): void {
  const def = aiOfSegment(s, i, eq);
  if (def === undefined) {
    errors.push(
      udiIssue(
        UdiIssueCode.GS1_UNKNOWN_AI,
        eq === i
          ? 'a query parameter without a name'
          : `query parameter ${s.slice(i, eq)} is not a GS1 Application Identifier`,
        i,
      ),
    );
    return;
  }
  const defs = ctx.defs;
  if (defs.includes(def)) {
    errors.push(udiIssue(UdiIssueCode.GS1_DL_DUPLICATE_AI, `AI (${def.ai}) appears twice`, i));
    return;
  }
  if (belongsInPath(key, def, defs, pathElements)) {
    errors.push(
      udiIssue(
        UdiIssueCode.GS1_DL_QUALIFIER_IN_QUERY,
        `AI (${def.ai}) is a key qualifier of AI (${key.ai}): it belongs in the path, not the query string`,
        i,
      ),
    );
    return;
  }
  if (NOT_DATA_ATTRIBUTE_BY_ORDINAL[def.ordinal] === 1) {
    errors.push(
      udiIssue(
        UdiIssueCode.GS1_DL_NOT_DATA_ATTRIBUTE,
        `AI (${def.ai}) is not permitted as a Digital Link data attribute`,
        i,
      ),
    );
    return;
  }
  if (eq + 1 === amp) {
    errors.push(udiIssue(UdiIssueCode.GS1_VALUE_TOO_SHORT, `AI (${def.ai}) has no value`, eq + 1));
    return;
  }
  let plus = eq + 1;
  while (plus < amp && s.charCodeAt(plus) !== PLUS) plus++;
  if (plus < amp) {
    errors.push(
      udiIssue(
        UdiIssueCode.GS1_INVALID_CHARACTER,
        `AI (${def.ai}): + in a query string means a space, which no AI value may hold (a plus sign is %2B)`,
        plus,
      ),
    );
    return;
  }
  addElement(def, s, eq + 1, amp, false, ctx, elements, errors);
}

/**
 * Whether AI `def` in the query would make a valid qualifier path if it were in the path
 * instead: it is in the same qualifier chain as the path's qualifiers (or in any chain of the
 * key when the path has none). The engine rejects such a URI, so the path is the one place a
 * qualifier can be.
 */
function belongsInPath(
  key: AiDefinition,
  def: AiDefinition,
  defs: readonly AiDefinition[],
  pathElements: number,
): boolean {
  const chains = CHAINS_BY_ORDINAL[key.ordinal] ?? [];
  for (const chain of chains) {
    if (!chain.includes(def.ordinal)) continue;
    let all = true;
    for (let p = 1; p < pathElements && all; p++) all = chain.includes(defs[p]?.ordinal ?? -1);
    if (all) return true;
  }
  return false;
}
