import { splitAroundHexIdentifiers } from './hex-identifier.util';

describe('splitAroundHexIdentifiers', () => {
  it('sets apart a UUID whose digits pass the NHS number check', () => {
    expect(splitAroundHexIdentifiers('No device 019c0f3e-8a4b-7c3d-9e2f-0123456789ab')).toEqual([
      'No device ',
      '019c0f3e-8a4b-7c3d-9e2f-0123456789ab',
      '',
    ]);
  });

  it('sets apart hex digests of 16 characters or more that hold a letter', () => {
    expect(splitAroundHexIdentifiers('head 9434765919abcdef01 ok')).toEqual([
      'head ',
      '9434765919abcdef01',
      ' ok',
    ]);
  });

  it('leaves digit runs, short hex and words alone, and joins back to the text', () => {
    for (const text of [
      '943 476 5919',
      '9434765919',
      'lot 9434765919ab',
      'ref-0123456789abcdef0',
    ]) {
      const parts = splitAroundHexIdentifiers(text);
      expect(parts.join('')).toBe(text);
    }
    expect(splitAroundHexIdentifiers('9434765919')).toEqual(['9434765919']);
    expect(splitAroundHexIdentifiers('lot 9434765919ab')).toEqual(['lot 9434765919ab']);
    expect(splitAroundHexIdentifiers('GTIN 05012345678900000000')).toEqual([
      'GTIN 05012345678900000000',
    ]);
  });
});
