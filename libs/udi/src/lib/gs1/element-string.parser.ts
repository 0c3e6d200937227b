import { UdiIssueCode, udiIssue } from '../udi-issue-code';
import type { UdiElement, UdiIssue } from '../udi.types';
import { AI_TRUNCATED, ALL_AI_DEFINITIONS, aiDefinition, lookupAi } from './ai-table';
import type { AiDefinition } from './ai-table';
import type { Gs1Context } from './gs1-context';
import {
  checkAiValue,
  describeAiValueProblem,
  endOfCset82,
  isLengthProblem,
  validateAiValue,
} from './element-value.validator';

const GS = 29;

/**
 * AIs whose appearance inside a variable-length value is worth a warning: the ones carried on
 * device labels. Internal AIs (90-99) and counts (30, 37) are left out because digit runs such
 * as "90..." or "30..." are common in serial numbers and would make the warning noise.
 */
const SWALLOWED_AI_CANDIDATE = new Uint8Array(ALL_AI_DEFINITIONS.length);
for (const ai of [
  '01',
  '11',
  '13',
  '15',
  '16',
  '17',
  '7003',
  '10',
  '21',
  '22',
  '235',
  '240',
  '241',
  '243',
  '8012',
]) {
  const def = aiDefinition(ai);
  if (def !== undefined) SWALLOWED_AI_CANDIDATE[def.ordinal] = 1;
}
/** The two-digit prefixes of the candidates, to skip most positions without an AI lookup. */
const SWALLOWED_PREFIX = new Uint8Array(100);
for (const def of ALL_AI_DEFINITIONS) {
  if (SWALLOWED_AI_CANDIDATE[def.ordinal] === 1) SWALLOWED_PREFIX[Number(def.ai.slice(0, 2))] = 1;
}

/** Validate-only parses stop at the first problem without recording it. */
const NO_ERRORS: UdiIssue[] = [];

/**
 * The AIs whose values are searched for swallowed elements: those of variable length. A value
 * protected by check characters (AI 8013, 8014) would fail them had it swallowed the next
 * element, so it is not searched.
 */
const SEARCH_FOR_SWALLOWED = new Uint8Array(ALL_AI_DEFINITIONS.length);
for (const def of ALL_AI_DEFINITIONS) {
  const checked = def.components.some((c) => c.checks.includes('csumalpha'));
  if (!def.predefinedLength && def.minLength !== def.maxLength && !checked) {
    SEARCH_FOR_SWALLOWED[def.ordinal] = 1;
  }
}

/** Variable-length AIs whose value is one set-82 component with no further check (10, 21, ...). */
const PLAIN_SET82 = new Uint8Array(ALL_AI_DEFINITIONS.length);
for (const def of ALL_AI_DEFINITIONS) {
  const [only, ...more] = def.components;
  if (
    !def.predefinedLength &&
    more.length === 0 &&
    only?.charset === 'X' &&
    only.checks.length === 0
  ) {
    PLAIN_SET82[def.ordinal] = 1;
  }
}

export interface SwallowedAi {
  ai: string;
  position: number;
}

function lookupFailure(code: number, s: string, i: number): UdiIssue {
  return code === AI_TRUNCATED
    ? udiIssue(UdiIssueCode.GS1_TRUNCATED_AI, 'data ends inside an Application Identifier', i)
    : udiIssue(
        UdiIssueCode.GS1_UNKNOWN_AI,
        `no GS1 Application Identifier starts with ${JSON.stringify(s.slice(i, i + 4))}`,
        i,
      );
}

/** Whether `s[start, end)` is, on its own, a complete valid element string. */
function isCompleteElementString(s: string, start: number, end: number, ctx: Gs1Context): boolean {
  return parseElementString(s, start, end, ctx, null, null, NO_ERRORS, false);
}

/** First position inside the value `s[start, end)` where a device-label AI and valid data follow. */
function findSwallowedAi(
  s: string,
  start: number,
  end: number,
  ctx: Gs1Context,
): SwallowedAi | undefined {
  for (let k = start + 1; k < end - 2; k++) {
    const a = s.charCodeAt(k) - 48;
    const b = s.charCodeAt(k + 1) - 48;
    if (a < 0 || a > 9 || b < 0 || b > 9 || SWALLOWED_PREFIX[a * 10 + b] !== 1) continue;
    const def = lookupAi(s, k, end);
    if (typeof def !== 'object' || SWALLOWED_AI_CANDIDATE[def.ordinal] !== 1) continue;
    if (isCompleteElementString(s, k, end, ctx)) return { ai: def.ai, position: k };
  }
  return undefined;
}

/**
 * Parses a GS1 element string (FNC1 transmitted as GS) in `s[start, end)`. Elements go to
 * `elements` and their definitions to `defs` (null: validate only, stopping at the first
 * problem without recording it). Returns false on a syntax error (unknown AI, bad length),
 * after which the element boundaries are unknown; value errors (character set, check digit,
 * date) are recorded in `errors` and parsing goes on. With `searchSwallowed`, AIs that appear
 * inside variable-length values go to `ctx.swallowed`.
 */
export function parseElementString(
  s: string,
  start: number,
  end: number,
  ctx: Gs1Context,
  elements: UdiElement[] | null,
  defs: AiDefinition[] | null,
  errors: UdiIssue[],
  searchSwallowed: boolean,
): boolean {
  let i = start;
  while (i < end) {
    if (s.charCodeAt(i) === GS) {
      i++;
      continue;
    }
    const found = lookupAi(s, i, end);
    if (typeof found !== 'object') {
      if (elements !== null) errors.push(lookupFailure(found, s, i));
      return false;
    }
    const def: AiDefinition = found;
    const valueStart = i + def.ai.length;
    let valueEnd: number;
    let plainValid = false;
    if (def.predefinedLength) {
      valueEnd = valueStart + def.maxLength;
      if (valueEnd > end) {
        if (elements === null) return false;
        errors.push(
          udiIssue(
            UdiIssueCode.GS1_VALUE_TOO_SHORT,
            `AI (${def.ai}): data ends before the ${def.maxLength} characters of its value`,
            valueStart,
          ),
        );
        return false;
      }
    } else if (PLAIN_SET82[def.ordinal] === 1) {
      // One pass finds both the end of the value and whether its characters are all set 82:
      // GS is outside the set, so a clean value stops exactly at the separator or the end.
      valueEnd = endOfCset82(s, valueStart, end);
      if (valueEnd < end && s.charCodeAt(valueEnd) !== GS) {
        while (valueEnd < end && s.charCodeAt(valueEnd) !== GS) valueEnd++;
      } else if (valueEnd - valueStart >= def.minLength && valueEnd - valueStart <= def.maxLength) {
        plainValid = true;
      }
    } else {
      valueEnd = valueStart;
      while (valueEnd < end && s.charCodeAt(valueEnd) !== GS) valueEnd++;
    }
    const problem = plainValid ? 0 : checkAiValue(def, s, valueStart, valueEnd, ctx);
    if (problem !== 0) {
      if (elements === null) return false;
      errors.push(describeAiValueProblem(def, s, valueStart, valueEnd, problem));
      if (isLengthProblem(problem)) return false;
    }
    if (elements !== null) {
      elements.push({ ai: def.ai, value: s.slice(valueStart, valueEnd) });
      defs?.push(def);
      if (searchSwallowed && SEARCH_FOR_SWALLOWED[def.ordinal] === 1) {
        const hit = findSwallowedAi(s, valueStart, valueEnd, ctx);
        if (hit !== undefined) (ctx.swallowed ??= []).push(hit);
      }
    }
    i = valueEnd;
  }
  return true;
}

/** The AI definition named by `(digits)` at `s[i]`, with the index after `)`, or undefined. */
function hriAiAt(
  s: string,
  i: number,
  end: number,
): { def: AiDefinition; next: number } | undefined {
  if (s.charCodeAt(i) !== 40) return undefined;
  const found = lookupAi(s, i + 1, end);
  if (typeof found !== 'object') return undefined;
  const close = i + 1 + found.ai.length;
  return close < end && s.charCodeAt(close) === 41 ? { def: found, next: close + 1 } : undefined;
}

/**
 * Parses the human-readable form `(01)…(17)…(10)…` in `s[start, end)`. A value ends where the
 * next `(AI)` of a known AI begins, since set 82 allows parentheses inside values.
 */
export function parseHumanReadable(
  s: string,
  start: number,
  end: number,
  ctx: Gs1Context,
  elements: UdiElement[],
  defs: AiDefinition[],
  errors: UdiIssue[],
): boolean {
  let i = start;
  while (i < end) {
    const ai = hriAiAt(s, i, end);
    if (ai === undefined) {
      errors.push(
        udiIssue(
          UdiIssueCode.GS1_HRI_SYNTAX,
          'expected a known Application Identifier in parentheses, e.g. (01)',
          i,
        ),
      );
      return false;
    }
    const valueStart = ai.next;
    let valueEnd = valueStart;
    while (
      valueEnd < end &&
      (s.charCodeAt(valueEnd) !== 40 || hriAiAt(s, valueEnd, end) === undefined)
    ) {
      valueEnd++;
    }
    const problem = validateAiValue(ai.def, s, valueStart, valueEnd, ctx);
    if (problem !== undefined) errors.push(problem);
    elements.push({ ai: ai.def.ai, value: s.slice(valueStart, valueEnd) });
    defs.push(ai.def);
    i = valueEnd;
  }
  return true;
}
