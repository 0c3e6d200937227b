import fc from 'fast-check';

import {
  gs1CheckDigit,
  isValidGs1CheckCharacterPair,
  isValidGs1CheckDigit,
  isValidIban,
  mod43CheckCharacter,
  mod43Value,
} from './check-digits.util';

describe('GS1 mod-10 check digit', () => {
  it.each([
    // GS1 General Specifications 7.9.1, worked example for a GTIN-13.
    ['6291041500213'],
    // GS1 General Specifications 7.9.1, worked example for an SSCC.
    ['376104250021234569'],
    // GS1 Digital Link URI Syntax, the example GTIN used throughout.
    ['09506000134352'],
    // FDA GUDID data elements reference, example GS1 device identifier.
    ['10884521062856'],
    // GTIN-8 and GTIN-12 forms padded to 14 digits.
    ['00000040170725'],
    ['00614141999996'],
  ])('accepts %s', (digits) => {
    expect(isValidGs1CheckDigit(digits, 0, digits.length)).toBe(true);
  });

  it('rejects every single-digit change of a valid GTIN', () => {
    const gtin = '09506000134352';
    for (let i = 0; i < gtin.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === gtin[i]) continue;
        const changed = gtin.slice(0, i) + d + gtin.slice(i + 1);
        expect(isValidGs1CheckDigit(changed, 0, changed.length)).toBe(false);
      }
    }
  });

  it('rejects non-digits and strings too short to carry a check digit', () => {
    expect(isValidGs1CheckDigit('0950600013435A', 0, 14)).toBe(false);
    expect(isValidGs1CheckDigit('0950600013435/', 0, 14)).toBe(false);
    expect(isValidGs1CheckDigit('7', 0, 1)).toBe(false);
  });

  it('computes the digit for data without it', () => {
    expect(gs1CheckDigit('629104150021')).toBe(3);
    expect(gs1CheckDigit('0950600013435')).toBe(2);
    // 0061414199999 from the right: 9*3 + 9 + 9*3 + 9 + 9*3 + 1 + 4*3 + 1 + 4*3 + 1 + 6*3 + 0 + 0
    // = 144; (10 - 144 mod 10) mod 10 = 6 (a GSRN-style key: libs/identifiers uses this one)
    expect(gs1CheckDigit('0061414199999')).toBe(6);
    // 1*1 + 3*3 = 10
    expect(gs1CheckDigit('13')).toBe(0);
  });

  it('computes the digit that makes the key valid, and catches every single-digit substitution', () => {
    const digits = fc
      .array(fc.integer({ min: 0, max: 9 }), { minLength: 17, maxLength: 17 })
      .map((d) => d.join(''));
    fc.assert(
      fc.property(digits, fc.nat(16), fc.integer({ min: 1, max: 9 }), (body, position, shift) => {
        const key = `${body}${gs1CheckDigit(body)}`;
        expect(isValidGs1CheckDigit(key, 0, key.length)).toBe(true);
        const changed = (Number(body[position]) + shift) % 10;
        const typo = `${body.slice(0, position)}${changed}${body.slice(position + 1)}`;
        expect(gs1CheckDigit(typo)).not.toBe(gs1CheckDigit(body));
      }),
    );
  });
});

describe('HIBCC mod-43 check character', () => {
  it('numbers the Code 39 set 0-42 in the order of the HIBC standard', () => {
    expect(mod43Value('0'.charCodeAt(0))).toBe(0);
    expect(mod43Value('Z'.charCodeAt(0))).toBe(35);
    expect(mod43Value('%'.charCodeAt(0))).toBe(42);
    expect(mod43Value('a'.charCodeAt(0))).toBe(-1);
    expect(mod43Value('é'.charCodeAt(0))).toBe(-1);
  });

  it('sums every character including the leading +', () => {
    // HIBC Supplier Labeling Standard 2.6, primary data example "+A123BJC5D6E71" (check char G).
    expect(mod43CheckCharacter('+A123BJC5D6E71', 0, 14)).toBe('G');
    expect(mod43CheckCharacter('+H123ABC1', 0, 9)).toBe('C');
    expect(mod43CheckCharacter('+a', 0, 2)).toBeUndefined();
  });
});

describe('GS1 check character pair (AI 8013 GMN)', () => {
  it('accepts the GS1 General Specifications 7.9.5 example', () => {
    expect(isValidGs1CheckCharacterPair('1987654Ad4X4bL5ttr2310c2K')).toBe(true);
  });

  it('rejects a changed character, a changed pair and out-of-range lengths', () => {
    expect(isValidGs1CheckCharacterPair('1987654Ad4X4bL5ttr2311c2K')).toBe(false);
    expect(isValidGs1CheckCharacterPair('1987654Ad4X4bL5ttr2310c2L')).toBe(false);
    expect(isValidGs1CheckCharacterPair('2K')).toBe(false);
    expect(isValidGs1CheckCharacterPair('1987654Ad4X4bL5ttr2310c~2K')).toBe(false);
    expect(isValidGs1CheckCharacterPair('1'.repeat(24) + '2K')).toBe(false);
  });
});

describe('IBAN (AI 8007)', () => {
  it('accepts the ISO 13616 example and rejects a changed digit', () => {
    expect(isValidIban('GB82WEST12345698765432')).toBe(true);
    expect(isValidIban('GB82WEST12345698765433')).toBe(false);
    expect(isValidIban('GB82')).toBe(false);
    expect(isValidIban('GB82west12345698765432')).toBe(false);
  });
});
