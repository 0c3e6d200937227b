import { parseNhsNumber } from './nhs-number.util';

const FULLY_MASKED = '*** *** ****';

/**
 * An NHS number for logs: `943 *** **76`. The first three digits say little (issued numbers
 * share a few ranges) but tell a test number (999) from a real one; the last two let an
 * operator match log lines to a record they already hold. The five hidden digits, one of
 * them fixed by the check digit, leave about 10,000 candidates: enough to stop a log line
 * identifying a patient, not a substitute for keeping identifiers out of logs.
 *
 * Input that is not a valid NHS number is masked completely: it may be a valid number
 * with a typo, and half of it is still half of a patient's identifier.
 */
export function maskNhsNumber(input: string): string {
  const result = parseNhsNumber(input);
  if (!result.ok) {
    return FULLY_MASKED;
  }
  return `${result.nhsNumber.slice(0, 3)} *** **${result.nhsNumber.slice(8)}`;
}
