import {
  maskNhsNumber,
  parseNhsNumber,
  splitAroundHexIdentifiers,
} from '@implant-trace/identifiers';

/**
 * What may stand between the 3-3-4 groups of an NHS number: a space or hyphen, and the same
 * as they arrive in URLs and form bodies (`+` and `%20` for a space, `%2D` for a hyphen, a
 * double-encoded `%2520`), plus the no-break space some EPR exports use.
 */
const GROUP_SEPARATOR = String.raw`(?:[ +\u00a0-]|%(?:25)?(?:20|2[bBdD]|[cC]2%(?:25)?[aA]0))`;
/**
 * A digit just before the number only means "part of a longer run" when it is not itself
 * the hex of a percent-escape: `%209434765919` is a space and then the number.
 */
const NOT_AFTER_DIGIT = String.raw`(?<!(?<!%|%[0-9A-Fa-f])\d)`;
const NHS_NUMBER_LIKE = new RegExp(
  `${NOT_AFTER_DIGIT}\\d{3}${GROUP_SEPARATOR}?\\d{3}${GROUP_SEPARATOR}?\\d{4}(?!\\d)`,
  'g',
);
const SEPARATORS = new RegExp(GROUP_SEPARATOR, 'g');

/**
 * Masks every NHS-number-looking value in a string. Logs must not hold patient identifiers,
 * so a ten-digit run is masked even when its check digit fails (it may be a mistyped one).
 */
export function maskNhsNumbersIn(text: string): string {
  return splitAroundHexIdentifiers(text)
    .map((part, index) => (index % 2 === 1 ? part : maskPart(part)))
    .join('');
}

function maskPart(text: string): string {
  return text.replace(NHS_NUMBER_LIKE, (match) => {
    const digits = match.replace(SEPARATORS, '');
    return parseNhsNumber(digits).ok ? maskNhsNumber(digits) : '**********';
  });
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
