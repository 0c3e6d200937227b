import { UdiIssueCode, udiIssue } from '../udi-issue-code';
import type { Udi, UdiElement, UdiIssue, UdiParseResult } from '../udi.types';
import { ALL_AI_DEFINITIONS, aiDefinition } from './ai-table';
import type { AiDefinition } from './ai-table';
import { gs1Date } from './element-value.validator';
import type { Gs1Context } from './gs1-context';

/**
 * GS1 General Specifications 4.14 pairing rules that a device label can break. `REQUIRES`: for
 * each AI, sets of alternatives of which one must be present. Measures (31nn-36nn) need a
 * trade item key. `INVALID_PAIRS`: AIs that must not appear together.
 */
const REQUIRES: readonly (readonly [string, readonly (readonly string[])[]])[] = [
  ['10', [['01', '02', '8006', '8026']]],
  ['11', [['01', '02', '8006', '8026']]],
  ['12', [['01', '02', '8006', '8026']]],
  ['13', [['01', '02', '8006', '8026']]],
  ['15', [['01', '02', '8006', '8026']]],
  ['16', [['01', '02', '8006', '8026']]],
  ['17', [['01', '02', '8006', '8026']]],
  ['21', [['01', '8006']]],
  ['22', [['01', '02']]],
  ['235', [['01']]],
  ['240', [['01', '8006']]],
  ['241', [['01', '8006']]],
  ['242', [['01', '8006']]],
  ['243', [['01']]],
  ['250', [['01', '8006'], ['21']]],
  ['251', [['01', '8006']]],
  ['254', [['414']]],
  ['30', [['01', '02']]],
  ['37', [['02', '8026']]],
  ['7003', [['01', '8006']]],
  ['7011', [['01', '8006']]],
  ['7240', [['8013']]],
  ['8008', [['01', '8006']]],
  ['8011', [['8010']]],
  ['8019', [['8017', '8018']]],
  ['8020', [['415']]],
  ['8111', [['255']]],
];
const MEASURE_REQUIRES: readonly string[] = ['01', '02', '8006', '8026'];

const INVALID_PAIRS: readonly (readonly [string, string])[] = [
  ['01', '02'],
  ['01', '37'],
  ['01', '8006'],
  ['01', '8026'],
  ['02', '8006'],
  ['02', '8026'],
  ['21', '235'],
  ['422', '426'],
];

interface Requirement {
  mask: number;
  message: string;
}

/** What the builder needs of an AI, indexed by the AI's ordinal. */
interface AiRules {
  /** Bit of the AI in the presence mask, 0 when no rule names it. */
  bit: number;
  /** Alternative sets of which one must be present, as masks. */
  requirements: readonly Requirement[];
  /** The requirements a GTIN does not meet, the only ones to test when a GTIN is present. */
  beyondGtin: readonly Requirement[];
  /** Bits of the AIs that must not appear with this one. */
  excludes: number;
}

const NO_RULES: AiRules = { bit: 0, requirements: [], beyondGtin: [], excludes: 0 };
const RULES: AiRules[] = ALL_AI_DEFINITIONS.map(() => ({
  bit: 0,
  requirements: [],
  beyondGtin: [],
  excludes: 0,
}));
function rulesOf(def: AiDefinition): AiRules {
  return RULES[def.ordinal] ?? NO_RULES;
}
function definitionOf(ai: string): AiDefinition {
  const def = aiDefinition(ai);
  if (def === undefined) throw new Error(`pairing rules: unknown AI ${ai}`);
  return def;
}
let bits = 0;
/** Each AI named by a rule gets one bit, so every rule is a mask test on one number. */
function maskOf(ais: readonly string[]): number {
  let mask = 0;
  for (const ai of ais) {
    const rules = rulesOf(definitionOf(ai));
    if (rules.bit === 0) rules.bit = 2 ** bits++;
    mask |= rules.bit;
  }
  return mask;
}
function require(ai: string, set: readonly string[]): void {
  const rules = rulesOf(definitionOf(ai));
  rules.requirements = [
    ...rules.requirements,
    {
      mask: maskOf(set),
      message: `AI (${ai}) is only valid together with AI (${set.join(') or (')})`,
    },
  ];
}
for (const [ai, sets] of REQUIRES) for (const set of sets) require(ai, set);
for (const def of ALL_AI_DEFINITIONS) if (isMeasure(def.ai)) require(def.ai, MEASURE_REQUIRES);
const GTIN_BIT = maskOf(['01']);
for (const rules of RULES)
  rules.beyondGtin = rules.requirements.filter((r) => (r.mask & GTIN_BIT) === 0);
const PAIR_MASKS = INVALID_PAIRS.map(([a, b]) => ({
  mask: maskOf([a, b]),
  message: `AI (${a}) and AI (${b}) must not appear together`,
}));
for (const [a, b] of INVALID_PAIRS) {
  rulesOf(definitionOf(a)).excludes |= maskOf([b]);
  rulesOf(definitionOf(b)).excludes |= maskOf([a]);
}
if (bits > 31) throw new Error('pairing rules: more AIs than bits');

function isMeasure(ai: string): boolean {
  const p = ai.charCodeAt(0) === 51 ? ai.charCodeAt(1) : 0;
  return ai.length === 4 && p >= 49 && p <= 54;
}

function firstValue(elements: readonly UdiElement[], ai: string): string | undefined {
  for (const e of elements) if (e.ai === ai) return e.value;
  return undefined;
}

/** Pairing rules and duplicates; returns the presence mask of the AIs that rules name. */
function checkPairing(
  elements: readonly UdiElement[],
  defs: readonly AiDefinition[],
  errors: UdiIssue[],
  warnings: UdiIssue[],
): number {
  let present = 0;
  const n = defs.length;
  for (let i = 0; i < n; i++) present |= rulesOf(defs[i] as AiDefinition).bit;
  let conflicts = 0;
  for (let i = 0; i < n; i++) {
    const def = defs[i] as AiDefinition;
    const e = elements[i] as UdiElement;
    for (let j = 0; j < i; j++) {
      if (defs[j] !== def) continue;
      const earlier = elements[j] as UdiElement;
      if (earlier.value === e.value) {
        warnings.push(
          udiIssue(UdiIssueCode.GS1_DUPLICATE_AI, `AI (${e.ai}) appears twice with the same value`),
        );
      } else {
        errors.push(
          udiIssue(
            UdiIssueCode.GS1_CONFLICTING_DUPLICATE_AI,
            `AI (${e.ai}) appears twice with different values`,
          ),
        );
      }
      break;
    }
    const rules = rulesOf(def);
    conflicts |= present & rules.excludes;
    const requirements = (present & GTIN_BIT) !== 0 ? rules.beyondGtin : rules.requirements;
    for (let r = 0; r < requirements.length; r++) {
      const rule = requirements[r] as Requirement;
      if ((present & rule.mask) === 0) {
        errors.push(udiIssue(UdiIssueCode.GS1_MISSING_REQUIRED_AI, rule.message));
      }
    }
  }
  if (conflicts !== 0) {
    for (const pair of PAIR_MASKS) {
      if ((present & pair.mask) === pair.mask) {
        errors.push(udiIssue(UdiIssueCode.GS1_INVALID_AI_PAIR, pair.message));
      }
    }
  }
  return present;
}

const GTIN = definitionOf('01').ordinal;
const LOT = definitionOf('10').ordinal;
const SERIAL = definitionOf('21').ordinal;
const EXPIRY = definitionOf('17').ordinal;
const PRODUCTION = definitionOf('11').ordinal;
const EXPIRY_WITH_TIME = definitionOf('7003').ordinal;
const GSRN_BIT = maskOf(['8018']);

/**
 * Turns validated GS1 elements into a UDI: pairing rules, the device identifier (GTIN, AI 01)
 * and the FHIR fields. `errors` may already hold value errors from the parser.
 */
export function buildGs1Udi(
  format: 'gs1' | 'gs1-digital-link',
  elements: UdiElement[],
  defs: readonly AiDefinition[],
  ctx: Gs1Context,
  errors: UdiIssue[],
  warnings: UdiIssue[],
): UdiParseResult {
  const present = checkPairing(elements, defs, errors, warnings);
  if ((present & GTIN_BIT) === 0) {
    errors.push(
      (present & GSRN_BIT) !== 0
        ? udiIssue(
            UdiIssueCode.GS1_PATIENT_IDENTIFIER,
            'a GSRN (AI 8018) identifies a person, e.g. on a patient wristband, not a device',
          )
        : udiIssue(
            UdiIssueCode.GS1_NO_DEVICE_IDENTIFIER,
            'no GTIN (AI 01): this is not a device identifier',
          ),
    );
  }
  if (errors.length > 0) return { ok: false, errors };

  if (ctx.swallowed !== null) {
    for (const hit of ctx.swallowed) {
      if (firstValue(elements, hit.ai) !== undefined) continue;
      warnings.push(
        udiIssue(
          UdiIssueCode.GS1_POSSIBLE_MISSING_SEPARATOR,
          `AI (${hit.ai}) and valid data sit inside a variable-length value: a separator may have been dropped; confirm the values with the label`,
          hit.position,
        ),
      );
    }
  }

  let gtin = '';
  let lot: string | undefined;
  let serial: string | undefined;
  let expiry: string | undefined;
  let expiryWithTime: string | undefined;
  let production: string | undefined;
  for (let i = defs.length - 1; i >= 0; i--) {
    const ordinal = (defs[i] as AiDefinition).ordinal;
    const value = (elements[i] as UdiElement).value;
    if (ordinal === GTIN) gtin = value;
    else if (ordinal === LOT) lot = value;
    else if (ordinal === SERIAL) serial = value;
    else if (ordinal === EXPIRY) expiry = value;
    else if (ordinal === PRODUCTION) production = value;
    else if (ordinal === EXPIRY_WITH_TIME) expiryWithTime = value;
  }
  const udi: Udi = { format, issuingAgency: 'GS1', deviceIdentifier: gtin, elements };
  if (lot !== undefined) udi.lotNumber = lot;
  if (serial !== undefined) udi.serialNumber = serial;
  const expirationDate =
    expiry !== undefined
      ? gs1Date(expiry, 0, true, ctx)
      : expiryWithTime !== undefined
        ? gs1Date(expiryWithTime, 0, false, ctx)
        : undefined;
  if (expirationDate !== undefined) udi.expirationDate = expirationDate;
  const manufactureDate = production === undefined ? undefined : gs1Date(production, 0, true, ctx);
  if (manufactureDate !== undefined) udi.manufactureDate = manufactureDate;
  return { ok: true, udi, warnings };
}
