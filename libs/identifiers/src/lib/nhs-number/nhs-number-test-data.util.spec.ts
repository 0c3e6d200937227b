import fc from 'fast-check';

import { TEST_NHS_NUMBER_CAPACITY, testNhsNumber } from './nhs-number-test-data.util';
import { parseNhsNumber } from './nhs-number.util';

describe('testNhsNumber', () => {
  const index = fc.integer({ min: 0, max: TEST_NHS_NUMBER_CAPACITY - 1 });

  it('gives a valid number in the 999 test range for every index', () => {
    fc.assert(
      fc.property(index, (i) => {
        expect(parseNhsNumber(testNhsNumber(i), { testNumbers: 'require' })).toMatchObject({
          ok: true,
          nhsNumber: testNhsNumber(i),
        });
      }),
    );
  });

  it('gives the same number for the same index', () => {
    fc.assert(
      fc.property(index, (i) => {
        expect(testNhsNumber(i)).toBe(testNhsNumber(i));
      }),
    );
  });

  it('gives different numbers for different indices', () => {
    fc.assert(
      fc.property(index, index, (i, j) => {
        fc.pre(i !== j);
        expect(testNhsNumber(i)).not.toBe(testNhsNumber(j));
      }),
    );
  });

  it('gives distinct numbers for a run of consecutive indices', () => {
    const numbers = Array.from({ length: 10_000 }, (_, i) => testNhsNumber(i));
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('covers the whole range up to its capacity', () => {
    expect(testNhsNumber(0)).toMatch(/^99900000\d\d$/);
    expect(testNhsNumber(TEST_NHS_NUMBER_CAPACITY - 1)).toMatch(/^99999999\d\d$/);
  });

  it.each([-1, TEST_NHS_NUMBER_CAPACITY, 1.5, Number.NaN])('refuses index %p', (i) => {
    expect(() => testNhsNumber(i)).toThrow(RangeError);
  });
});
