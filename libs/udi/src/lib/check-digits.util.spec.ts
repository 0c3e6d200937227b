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
