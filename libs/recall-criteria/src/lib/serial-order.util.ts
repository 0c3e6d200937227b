import type { SerialRangeValue } from '@implant-trace/contracts';

const DIGITS_ONLY = /^[0-9]+$/;

/** A serial of ASCII digits only: compared by its value, so leading zeros do not count. */
export function isNumericSerial(serial: string): boolean {
  return DIGITS_ONLY.test(serial);
}

/**
 * Length first, then code-unit order (never locale order, which differs between machines):
 * `A99` < `A100`, as a manufacturer numbering alphanumeric serials means it.
 */
export function compareLengthThenText(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** How a range compares serials: chosen once from its two ends. */
export type SerialRangeRule =
  | { kind: 'numeric'; from: bigint; to: bigint }
  | { kind: 'length-then-text'; from: string; to: string };

/** Numeric when both ends are numeric (as big integers: serials outgrow 2^53), else length-then-text. */
export function serialRangeRule(range: SerialRangeValue): SerialRangeRule {
  return isNumericSerial(range.from) && isNumericSerial(range.to)
    ? { kind: 'numeric', from: BigInt(range.from), to: BigInt(range.to) }
    : { kind: 'length-then-text', from: range.from, to: range.to };
}

/** True when the range's `from` comes after its `to`: a range that holds nothing. */
export function isInvertedRange(range: SerialRangeValue): boolean {
  const rule = serialRangeRule(range);
  return rule.kind === 'numeric'
    ? rule.from > rule.to
    : compareLengthThenText(rule.from, rule.to) > 0;
}

/**
 * Both ends inclusive. A numeric range holds only numeric serials: `A5` is not between 1 and 10,
 * whatever its length says.
 */
export function serialInRange(serial: string, rule: SerialRangeRule): boolean {
  if (rule.kind === 'numeric') {
    if (!isNumericSerial(serial)) return false;
    const value = BigInt(serial);
    return rule.from <= value && value <= rule.to;
  }
  return (
    compareLengthThenText(rule.from, serial) <= 0 && compareLengthThenText(serial, rule.to) <= 0
  );
}
