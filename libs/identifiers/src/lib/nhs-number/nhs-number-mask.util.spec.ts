import fc from 'fast-check';

import { maskNhsNumber } from './nhs-number-mask.util';
import { nhsNumberCheckDigit } from './nhs-number.util';

describe('maskNhsNumber', () => {
  const firstNine = '401023213';
  const nhs = `${firstNine}${nhsNumberCheckDigit(firstNine)}`;

  it('keeps the first three and the last two digits', () => {
    expect(maskNhsNumber(nhs)).toBe(`401 *** **${nhs.slice(8)}`);
  });

  it('masks typed input the same way as normalised input', () => {
    expect(maskNhsNumber(` ${nhs.slice(0, 3)}-${nhs.slice(3, 6)}-${nhs.slice(6)} `)).toBe(
      maskNhsNumber(nhs),
    );
  });

  it.each(['', 'not a number', nhs.slice(0, 9), `${nhs.slice(0, 9)}${(Number(nhs[9]) + 1) % 10}`])(
    'masks %p completely, since it is not a valid NHS number',
    (input) => {
      expect(maskNhsNumber(input)).toBe('*** *** ****');
    },
  );

  it('never shows digits 4 to 8', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        expect(maskNhsNumber(input)).toMatch(/^(\d{3}|\*{3}) \*{3} \*\*(\d{2}|\*\*)$/);
      }),
    );
  });
});
