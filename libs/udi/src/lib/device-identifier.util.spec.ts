import {
  inferIssuingAgency,
  lookupFormOf,
  normaliseAnyDeviceIdentifier,
  normaliseDeviceIdentifier,
} from './device-identifier.util';

describe('normaliseDeviceIdentifier', () => {
  it.each([
    ['GTIN-14', '05012345678900', '05012345678900'],
    ['EAN-13 widened to GTIN-14', '5012345678900', '05012345678900'],
    ['UPC-A widened to GTIN-14', '012345678905', '00012345678905'],
    ['GTIN-8 widened to GTIN-14', '96385074', '00000096385074'],
    ['surrounding spaces', ' 05012345678900 ', '05012345678900'],
  ])('accepts a GS1 %s', (_case, raw, expected) => {
    expect(normaliseDeviceIdentifier(raw, 'GS1')).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['a wrong check digit', '05012345678901', /check digit/],
    ['letters', '0501234567890A', /8, 12, 13 or 14 digits/],
    ['the wrong length', '050123456789001', /8, 12, 13 or 14 digits/],
    ['nothing', '   ', /empty/],
  ])('refuses a GS1 identifier with %s', (_case, raw, message) => {
    const result = normaliseDeviceIdentifier(raw, 'GS1');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });

  it('accepts a HIBCC labeler + product + unit of measure, upper-cased, without a leading +', () => {
    expect(normaliseDeviceIdentifier('+h123abc1', 'HIBCC')).toEqual({
      ok: true,
      value: 'H123ABC1',
    });
  });

  it.each([
    ['no unit of measure digit', 'H123ABC'],
    ['a labeler code starting with a digit', '1123ABC1'],
    ['a product code longer than 18', `H123${'A'.repeat(19)}1`],
    ['structure characters', 'H123AB/C1'],
  ])('refuses a HIBCC identifier with %s', (_case, raw) => {
    expect(normaliseDeviceIdentifier(raw, 'HIBCC').ok).toBe(false);
  });

  it('accepts a 16-character ISBT 128 PPIC and refuses a short one', () => {
    expect(normaliseDeviceIdentifier('a9999xyz100t0944', 'ICCBBA')).toEqual({
      ok: true,
      value: 'A9999XYZ100T0944',
    });
    expect(normaliseDeviceIdentifier('A9999XYZ', 'ICCBBA').ok).toBe(false);
  });
});

describe('lookupFormOf', () => {
  it('reads a 12/13-digit GTIN as the GTIN-14 the catalogue stores, and HIBCC as stored', () => {
    expect(lookupFormOf('5012345678900')).toBe('05012345678900');
    expect(lookupFormOf('05012345678900')).toBe('05012345678900');
    expect(lookupFormOf('+h123abc1')).toBe('H123ABC1');
  });
});

describe('inferIssuingAgency', () => {
  it('reads digits as GS1 and anything else as HIBCC', () => {
    expect(inferIssuingAgency('05012345678900')).toBe('GS1');
    expect(inferIssuingAgency('H123ABC1')).toBe('HIBCC');
  });
});

describe('normaliseAnyDeviceIdentifier', () => {
  it.each([
    ['an EAN-13, as its GTIN-14', '5012345678900', '05012345678900'],
    ['a HIBCC identifier, upper-cased without its +', '+h123abc1', 'H123ABC1'],
  ])('gives %s', (_case, raw, expected) => {
    expect(normaliseAnyDeviceIdentifier(raw)).toEqual({ ok: true, value: expected });
  });

  it('refuses digits with a wrong check digit, not reading them as another agency', () => {
    const result = normaliseAnyDeviceIdentifier('05012345678901');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/check digit/);
  });

  it('refuses what no agency issues', () => {
    expect(normaliseAnyDeviceIdentifier('not an identifier!')).toEqual({
      ok: false,
      message: 'not a GTIN, a HIBCC device identifier or an ISBT 128 PPIC',
    });
  });
});
