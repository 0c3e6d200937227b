import { maskNhsNumber, parseNhsNumber } from '@implant-trace/identifiers';

/** Ten digits, optionally grouped 3-3-4, not inside a longer run of digits. */
const NHS_NUMBER_LIKE = /(?<!\d)\d{3}[ -]?\d{3}[ -]?\d{4}(?!\d)/g;

/**
 * Masks every NHS-number-looking value in a string. Logs must not hold patient identifiers,
 * so a ten-digit run is masked even when its check digit fails (it may be a mistyped one).
 */
export function maskNhsNumbersIn(text: string): string {
  return text.replace(NHS_NUMBER_LIKE, (match) =>
    parseNhsNumber(match).ok ? maskNhsNumber(match) : '**********',
  );
}

/** A copy of a log record with every string field masked, however deeply nested. */
export function maskNhsNumbersDeep(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return maskNhsNumbersIn(value);
  if (typeof value === 'number' && Number.isInteger(value) && String(value).length === 10) {
    return maskNhsNumbersIn(String(value));
  }
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) {
    return {
      type: value.name,
      message: maskNhsNumbersIn(value.message),
      stack: value.stack && maskNhsNumbersIn(value.stack),
    };
  }
  if (Array.isArray(value)) return value.map((item) => maskNhsNumbersDeep(item, seen));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, maskNhsNumbersDeep(item, seen)]),
  );
}
