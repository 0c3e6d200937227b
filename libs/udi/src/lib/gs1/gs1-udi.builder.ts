import { UdiIssueCode, udiIssue } from '../udi-issue-code';
import type { Udi, UdiElement, UdiIssue, UdiParseResult } from '../udi.types';
import { gs1Date } from './element-value.validator';
import type { SwallowedAi } from './element-string.parser';
import type { Gs1Context } from './gs1-context';

/**
 * GS1 General Specifications 4.14 pairing rules that a device label can break. `requires`:
 * each listed alternative set must have one member present. Measures (31nn-36nn) are matched
 * by their first two digits.
 */
const REQUIRES: ReadonlyMap<string, readonly (readonly string[])[]> = new Map<
  string,
  readonly (readonly string[])[]
>([
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
]);
const MEASURE_REQUIRES: readonly string[] = ['01', '02', '8006', '8026'];

/** Pairs that must not appear together (GS1 General Specifications 4.14.1). */
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

function hasAi(elements: readonly UdiElement[], ai: string): boolean {
  for (const e of elements) if (e.ai === ai) return true;
  return false;
}

function firstValue(elements: readonly UdiElement[], ai: string): string | undefined {
  for (const e of elements) if (e.ai === ai) return e.value;
  return undefined;
}

function isMeasure(ai: string): boolean {
  const p = ai.charCodeAt(0) === 51 ? ai.charCodeAt(1) : 0;
  return ai.length === 4 && p >= 49 && p <= 54;
}

function checkPairing(
  elements: readonly UdiElement[],
  errors: UdiIssue[],
  warnings: UdiIssue[],
): void {
  for (let i = 0; i < elements.length; i++) {
    const e = elements[i] as UdiElement;
    for (let j = 0; j < i; j++) {
      const earlier = elements[j] as UdiElement;
      if (earlier.ai !== e.ai) continue;
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
    const alternatives = isMeasure(e.ai) ? [MEASURE_REQUIRES] : REQUIRES.get(e.ai);
    if (alternatives !== undefined) {
      for (const set of alternatives) {
        if (!set.some((ai) => hasAi(elements, ai))) {
          errors.push(
            udiIssue(
              UdiIssueCode.GS1_MISSING_REQUIRED_AI,
              `AI (${e.ai}) is only valid together with AI (${set.join(') or (')})`,
            ),
          );
        }
      }
    }
  }
  for (const [a, b] of INVALID_PAIRS) {
    if (hasAi(elements, a) && hasAi(elements, b)) {
      errors.push(
        udiIssue(
          UdiIssueCode.GS1_INVALID_AI_PAIR,
          `AI (${a}) and AI (${b}) must not appear together`,
        ),
      );
    }
  }
}

/**
 * Turns validated GS1 elements into a UDI: pairing rules, the device identifier (GTIN, AI 01)
 * and the FHIR fields. `errors` may already hold value errors from the parser.
 */
export function buildGs1Udi(
  format: 'gs1' | 'gs1-digital-link',
  elements: UdiElement[],
  ctx: Gs1Context,
  errors: UdiIssue[],
  warnings: UdiIssue[],
  swallowed: readonly SwallowedAi[] | null,
): UdiParseResult {
  checkPairing(elements, errors, warnings);
  const gtin = firstValue(elements, '01');
  if (gtin === undefined) {
    errors.push(
      hasAi(elements, '8018')
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
  if (errors.length > 0 || gtin === undefined) return { ok: false, errors };

  if (swallowed !== null) {
    for (const hit of swallowed) {
      if (hasAi(elements, hit.ai)) continue;
      warnings.push(
        udiIssue(
          UdiIssueCode.GS1_POSSIBLE_MISSING_SEPARATOR,
          `AI (${hit.ai}) and valid data sit inside a variable-length value: a separator may have been dropped; confirm the values with the label`,
          hit.position,
        ),
      );
    }
  }

  const udi: Udi = { format, issuingAgency: 'GS1', deviceIdentifier: gtin, elements };
  const lot = firstValue(elements, '10');
  if (lot !== undefined) udi.lotNumber = lot;
  const serial = firstValue(elements, '21');
  if (serial !== undefined) udi.serialNumber = serial;
  const expiry = firstValue(elements, '17');
  const expiryWithTime = expiry === undefined ? firstValue(elements, '7003') : undefined;
  const expirationDate =
    expiry !== undefined
      ? gs1Date(expiry, 0, true, ctx)
      : expiryWithTime !== undefined
        ? gs1Date(expiryWithTime, 0, false, ctx)
        : undefined;
  if (expirationDate !== undefined) udi.expirationDate = expirationDate;
  const production = firstValue(elements, '11');
  const manufactureDate = production === undefined ? undefined : gs1Date(production, 0, true, ctx);
  if (manufactureDate !== undefined) udi.manufactureDate = manufactureDate;
  return { ok: true, udi, warnings };
}
