import fc from 'fast-check';

import { gs1CheckDigit } from './gs1-check-digit.util';

describe('gs1CheckDigit', () => {
  it('weights 3, 1, 3, ... from the rightmost digit', () => {
    // 0061414199999 from the right: 9*3 + 9 + 9*3 + 9 + 9*3 + 1 + 4*3 + 1 + 4*3 + 1 + 6*3 + 0 + 0
    // = 144; (10 - 144 mod 10) mod 10 = 6
    expect(gs1CheckDigit('0061414199999')).toBe(6);
  });

  it('gives 0 when the weighted sum is a multiple of 10', () => {
    // 1*1 + 3*3 = 10
    expect(gs1CheckDigit('13')).toBe(0);
  });

  it('catches every single-digit substitution in an 18-digit key', () => {
    const digits = fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: 17, maxLength: 17 })
      .map((d) => d.join(''));
    fc.assert(
      fc.property(digits, fc.nat(16), fc.integer({ min: 1, max: 9 }), (body, position, shift) => {
        const changed = (Number(body[position]) + shift) % 10;
        const typo = `${body.slice(0, position)}${changed}${body.slice(position + 1)}`;
        expect(gs1CheckDigit(typo)).not.toBe(gs1CheckDigit(body));
      }),
    );
  });
});
