import { maskNhsNumbersDeep, maskNhsNumbersIn } from './nhs-number-masking.util';

describe('NHS number masking for logs', () => {
  it('masks valid numbers however they are grouped, and other ten-digit runs fully', () => {
    expect(maskNhsNumbersIn('patient 9434765919 and 943 476 5919 and 943-476-5919')).toBe(
      'patient 943 *** **19 and 943 *** **19 and 943 *** **19',
    );
    expect(maskNhsNumbersIn('typo 9434765918')).toBe('typo **********');
  });

  it('leaves request ids and hex digests alone, even when ten of their digits pass the check', () => {
    const requestId = '1aabd2b3-e7e8-43c9-beef-dd0123456789';
    expect(maskNhsNumbersIn(`request ${requestId} for 943 476 5919`)).toBe(
      `request ${requestId} for 943 *** **19`,
    );
    expect(maskNhsNumbersIn('head 0123456789abcdef0123')).toBe('head 0123456789abcdef0123');
  });

  it('leaves longer digit runs (GTINs, timestamps) and short numbers alone', () => {
    expect(maskNhsNumbersIn('gtin 05012345678900 ts 1700000000000 n 12345')).toBe(
      'gtin 05012345678900 ts 1700000000000 n 12345',
    );
  });

  it.each([
    [
      '%20 for spaces',
      '/v1/patients/943%20476%205919/implants',
      '/v1/patients/943 *** **19/implants',
    ],
    ['+ for spaces', '?nhsNumber=943+476+5919&x=1', '?nhsNumber=943 *** **19&x=1'],
    ['%2D for hyphens', 'q=943%2D476%2D5919', 'q=943 *** **19'],
    ['lower-case escapes', 'q=943%2d476%2d5919', 'q=943 *** **19'],
    ['%2B for a literal plus', 'q=943%2B476%2B5919', 'q=943 *** **19'],
    ['double encoding', 'q=943%2520476%25205919', 'q=943 *** **19'],
    [
      'no-break spaces',
      'nhs 943\u00a0476\u00a05919 and 943%C2%A0476%C2%A05919',
      'nhs 943 *** **19 and 943 *** **19',
    ],
    ['mixed separators', '943%20476-5919', '943 *** **19'],
    [
      'an escape right before the number',
      'patient%209434765919%20seen',
      'patient%20943 *** **19%20seen',
    ],
    ['an encoded number failing its check digit', 'q=943%20476%205918', 'q=**********'],
  ])('masks URL-encoded numbers: %s', (_case, text, masked) => {
    expect(maskNhsNumbersIn(text)).toBe(masked);
  });

  it('still leaves longer digit runs alone when separated by encoded spaces', () => {
    expect(maskNhsNumbersIn('gtin%2005012345678900%20lot%201234')).toBe(
      'gtin%2005012345678900%20lot%201234',
    );
  });

  it('masks nested fields and ten-digit numbers', () => {
    expect(
      maskNhsNumbersDeep({
        req: { url: '/v1/patients/9434765919/implants' },
        ids: [9434765919],
        n: 3,
      }),
    ).toEqual({ req: { url: '/v1/patients/943 *** **19/implants' }, ids: ['943 *** **19'], n: 3 });
  });
});
