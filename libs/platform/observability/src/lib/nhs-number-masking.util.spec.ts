import { maskNhsNumbersDeep, maskNhsNumbersIn } from './nhs-number-masking.util';

describe('NHS number masking for logs', () => {
  it('masks valid numbers however they are grouped, and other ten-digit runs fully', () => {
    expect(maskNhsNumbersIn('patient 9434765919 and 943 476 5919 and 943-476-5919')).toBe(
      'patient 943 *** **19 and 943 *** **19 and 943 *** **19',
    );
    expect(maskNhsNumbersIn('typo 9434765918')).toBe('typo **********');
  });

  it('leaves longer digit runs (GTINs, timestamps) and short numbers alone', () => {
    expect(maskNhsNumbersIn('gtin 05012345678900 ts 1700000000000 n 12345')).toBe(
      'gtin 05012345678900 ts 1700000000000 n 12345',
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
