import fc from 'fast-check';

import { isOdsCodeShape, parseOdsCode } from './ods-code.util';

describe('parseOdsCode', () => {
  it.each([
    ['RXH', 'RXH', 'legacy-3'],
    ['rj1', 'RJ1', 'legacy-3'],
    ['00L', '00L', 'legacy-3'],
    ['RXH01', 'RXH01', 'legacy-5'],
    [' rxh01 ', 'RXH01', 'legacy-5'],
    ['8HA03', '8HA03', 'legacy-5'],
    ['G7H8J', 'G7H8J', 'anana'],
    ['g7h8j', 'G7H8J', 'anana'],
  ])('reads %p as %s (%s)', (input, code, kind) => {
    expect(parseOdsCode(input)).toEqual({ ok: true, code, kind });
  });

  it.each([
    ['', 'empty'],
    ['  ', 'empty'],
    ['RX-H', 'invalid-character'],
    ['RXH 01', 'invalid-character'],
    ['RXÉ', 'invalid-character'],
    ['rß', 'invalid-character'],
    ['r\u0131h', 'invalid-character'],
    ['RX', 'wrong-length'],
    ['RXH0', 'wrong-length'],
    ['A81001', 'wrong-length'],
    ['RXH01AB', 'wrong-length'],
  ])('refuses %p with reason %s', (input, reason) => {
    expect(parseOdsCode(input)).toMatchObject({ ok: false, reason });
  });

  it('classifies every letter-digit-letter-digit-letter code as ANANA', () => {
    const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    const digit = fc.constantFrom(...'0123456789');
    fc.assert(
      fc.property(fc.tuple(letter, digit, letter, digit, letter), (chars) => {
        expect(parseOdsCode(chars.join('').toLowerCase())).toEqual({
          ok: true,
          code: chars.join(''),
          kind: 'anana',
        });
      }),
    );
  });

  it('never throws, and every accepted code is upper-case letters and digits', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const result = parseOdsCode(input);
        if (result.ok) {
          expect(result.code).toMatch(/^([A-Z0-9]{3}|[A-Z0-9]{5})$/);
        }
      }),
    );
  });
});

describe('isOdsCodeShape', () => {
  it('answers whether the shape is right, not whether the organisation exists', () => {
    expect(isOdsCodeShape('ZZZ')).toBe(true);
    expect(isOdsCodeShape('ZZ')).toBe(false);
  });
});
