import fc from 'fast-check';

import type { NhsNumber } from './nhs-number.util';
import {
  formatNhsNumber,
  isTestNhsNumber,
  isValidNhsNumber,
  nhsNumberCheckDigit,
  parseNhsNumber,
} from './nhs-number.util';

// Valid numbers are built from nine chosen digits and the computed check digit, never
// copied from guides (several published examples fail the check).
function withCheckDigit(firstNine: string): string {
  const check = nhsNumberCheckDigit(firstNine);
  if (check === null) {
    throw new Error(`${firstNine} has no check digit`);
  }
  return `${firstNine}${check}`;
}

const REAL = withCheckDigit('401023213');
const TEST = withCheckDigit('999123457');

const validNhsNumber = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
  .map((digits) => digits.join(''))
  .filter((firstNine) => nhsNumberCheckDigit(firstNine) !== null)
  .map(withCheckDigit);

describe('nhsNumberCheckDigit', () => {
  it('weights the digits 10 down to 2 and subtracts the remainder from 11', () => {
    // 4*10 + 0*9 + 1*8 + 0*7 + 2*6 + 3*5 + 2*4 + 1*3 + 3*2 = 92; 92 mod 11 = 4; 11 - 4 = 7
    expect(nhsNumberCheckDigit('401023213')).toBe(7);
  });

  it('gives 0 when the remainder is 0 (11 becomes 0)', () => {
    // 2*10 + 1*2 = 22; 22 mod 11 = 0; 11 - 0 = 11, written as 0
    expect(nhsNumberCheckDigit('200000001')).toBe(0);
  });

  it('gives null when the remainder gives 10, since no such NHS number exists', () => {
    // 9*10 + 9*9 + 9*8 = 243; 243 mod 11 = 1; 11 - 1 = 10
    expect(nhsNumberCheckDigit('999000000')).toBeNull();
  });

  it.each(['', '12345678', '1234567890', '12345678a', '１２３４５６７８９'])(
    'refuses %p, which is not nine ASCII digits',
    (input) => {
      expect(() => nhsNumberCheckDigit(input)).toThrow(RangeError);
    },
  );
});

describe('parseNhsNumber', () => {
  it.each([
    [REAL, REAL],
    [`${REAL.slice(0, 3)} ${REAL.slice(3, 6)} ${REAL.slice(6)}`, REAL],
    [`${REAL.slice(0, 3)}-${REAL.slice(3, 6)}-${REAL.slice(6)}`, REAL],
    [`  ${REAL}\n`, REAL],
    [`${REAL.slice(0, 3)}\u2013${REAL.slice(3, 6)}\u00a0${REAL.slice(6)}`, REAL],
    [`${REAL.slice(0, 5)} ${REAL.slice(5)}`, REAL],
  ])('accepts %p as typed and normalises it to ten digits', (input, expected) => {
    expect(parseNhsNumber(input)).toEqual({ ok: true, nhsNumber: expected, isTestNumber: false });
  });

  it('flags numbers in the 999 test range', () => {
    expect(parseNhsNumber(TEST)).toEqual({ ok: true, nhsNumber: TEST, isTestNumber: true });
  });

  it('passes 0000000000: modulus 11 only catches typing errors, not made-up numbers', () => {
    expect(parseNhsNumber('0000000000').ok).toBe(true);
  });

  it.each([
    ['', 'empty'],
    ['   \t', 'empty'],
    [`${REAL.slice(0, 9)}X`, 'non-digit'],
    [`${REAL.slice(0, 3)}.${REAL.slice(3)}`, 'non-digit'],
    ['+44 401 023 2137', 'non-digit'],
    [REAL.slice(0, 9), 'wrong-length'],
    [`${REAL}0`, 'wrong-length'],
    ['- -', 'wrong-length'],
    [`${REAL.slice(0, 9)}${(Number(REAL[9]) + 1) % 10}`, 'check-digit'],
    ['9990000000', 'check-digit'],
  ])('refuses %p with reason %s', (input, reason) => {
    const result = parseNhsNumber(input);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok ? '' : result.message).not.toContain(REAL);
  });

  it('refuses test numbers when the deployment takes only real ones', () => {
    expect(parseNhsNumber(TEST, { testNumbers: 'refuse' })).toMatchObject({
      ok: false,
      reason: 'test-number-refused',
    });
    expect(parseNhsNumber(REAL, { testNumbers: 'refuse' }).ok).toBe(true);
  });

  it('refuses real numbers when the deployment takes only test ones', () => {
    expect(parseNhsNumber(REAL, { testNumbers: 'require' })).toMatchObject({
      ok: false,
      reason: 'test-number-required',
    });
    expect(parseNhsNumber(TEST, { testNumbers: 'require' }).ok).toBe(true);
  });

  it('checks the digits before the test-number policy', () => {
    expect(parseNhsNumber('9990000000', { testNumbers: 'refuse' })).toMatchObject({
      reason: 'check-digit',
    });
  });

  it('accepts every number with a computed check digit, however it is spaced', () => {
    fc.assert(
      fc.property(validNhsNumber, (nhs) => {
        const spaced = formatNhsNumber(nhs as NhsNumber);
        expect(parseNhsNumber(nhs)).toMatchObject({ ok: true, nhsNumber: nhs });
        expect(parseNhsNumber(spaced)).toMatchObject({ ok: true, nhsNumber: nhs });
      }),
    );
  });

  // Valid means sum(d_i * w_i) = 0 (mod 11) with weights 10..1 (the check digit has weight 1).
  // Changing one digit by e (1 <= |e| <= 9) changes the sum by e * w, and 11 is prime and
  // divides neither factor, so the sum stops being 0 mod 11: every substitution is caught.
  it('refuses every single-digit substitution of a valid number', () => {
    fc.assert(
      fc.property(validNhsNumber, (nhs) => {
        for (let position = 0; position < 10; position += 1) {
          for (let digit = 0; digit <= 9; digit += 1) {
            if (String(digit) !== nhs[position]) {
              const typo = `${nhs.slice(0, position)}${digit}${nhs.slice(position + 1)}`;
              expect(parseNhsNumber(typo)).toMatchObject({ ok: false, reason: 'check-digit' });
            }
          }
        }
      }),
    );
  });

  // Swapping neighbours a, b changes the sum by (a - b)(w_i - w_(i+1)) = a - b: never 0 mod 11.
  it('refuses every swap of two different neighbouring digits', () => {
    fc.assert(
      fc.property(validNhsNumber, (nhs) => {
        for (let position = 0; position < 9; position += 1) {
          const [a, b] = [nhs[position], nhs[position + 1]];
          if (a !== b) {
            const swapped = `${nhs.slice(0, position)}${b}${a}${nhs.slice(position + 2)}`;
            expect(parseNhsNumber(swapped).ok).toBe(false);
          }
        }
      }),
    );
  });

  it('never throws and returns a well-formed result for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (input) => {
        const result = parseNhsNumber(input);
        if (result.ok) {
          expect(result.nhsNumber).toMatch(/^\d{10}$/);
        } else {
          expect(result.message.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});

describe('isValidNhsNumber and isTestNhsNumber', () => {
  it('answer for typed input', () => {
    expect(isValidNhsNumber(` ${REAL} `)).toBe(true);
    expect(isValidNhsNumber('9990000000')).toBe(false);
    expect(isTestNhsNumber(formatNhsNumber(TEST as NhsNumber))).toBe(true);
    expect(isTestNhsNumber(REAL)).toBe(false);
  });

  it('does not call an invalid number in the 999 range a test number', () => {
    expect(isTestNhsNumber('9990000000')).toBe(false);
  });
});

describe('formatNhsNumber', () => {
  it('groups the digits 3 3 4 for display', () => {
    expect(formatNhsNumber(REAL as NhsNumber)).toBe(
      `${REAL.slice(0, 3)} ${REAL.slice(3, 6)} ${REAL.slice(6)}`,
    );
  });
});
