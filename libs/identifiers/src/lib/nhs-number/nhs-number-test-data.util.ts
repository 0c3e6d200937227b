import type { NhsNumber } from './nhs-number.util';
import { nhsNumberCheckDigit } from './nhs-number.util';

// Each block of ten numbers 999 xxxxx d (d = 0..9) holds nine or ten valid bodies: the
// ninth digit has weight 2, so the ten choices give ten different remainders and at most
// one of them makes the check digit 10. Using exactly nine per block makes index -> number
// a simple O(1) injection.
const PER_BLOCK = 9;
const BLOCKS = 100_000;

/** How many distinct test NHS numbers `testNhsNumber` can produce (indices 0 to this - 1). */
export const TEST_NHS_NUMBER_CAPACITY = PER_BLOCK * BLOCKS;

/**
 * The `index`-th test NHS number (999 range) with a computed check digit: the same index
 * always gives the same number and different indices give different numbers, so demo
 * data and tests can number their patients 0, 1, 2, ... without a lookup table.
 */
export function testNhsNumber(index: number): NhsNumber {
  if (!Number.isSafeInteger(index) || index < 0 || index >= TEST_NHS_NUMBER_CAPACITY) {
    throw new RangeError(
      `testNhsNumber index must be an integer from 0 to ${TEST_NHS_NUMBER_CAPACITY - 1}`,
    );
  }
  const block = `999${String(Math.floor(index / PER_BLOCK)).padStart(5, '0')}`;
  let rank = index % PER_BLOCK;
  for (let ninth = 0; ninth <= 9; ninth += 1) {
    const body = `${block}${ninth}`;
    const check = nhsNumberCheckDigit(body);
    if (check !== null) {
      if (rank === 0) {
        return `${body}${check}` as NhsNumber;
      }
      rank -= 1;
    }
  }
  throw new Error(`Block ${block} has fewer than ${PER_BLOCK} valid NHS numbers`);
}
