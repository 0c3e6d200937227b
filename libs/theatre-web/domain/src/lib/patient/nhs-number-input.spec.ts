import { testNhsNumber } from '@implant-trace/identifiers';

import { nhsNumberEntry } from './nhs-number-input';

describe('nhsNumberEntry', () => {
  const valid = testNhsNumber(7);

  it('groups the digits 3-3-4 as they are typed', () => {
    expect(nhsNumberEntry('')).toEqual({ state: 'empty', display: '' });
    expect(nhsNumberEntry('94')).toEqual({ state: 'incomplete', display: '94', digits: '94' });
    expect(nhsNumberEntry('9434')).toMatchObject({ state: 'incomplete', display: '943 4' });
    expect(nhsNumberEntry('9434765')).toMatchObject({ display: '943 476 5' });
  });

  it('checks the number when the tenth digit is in, however it was spaced', () => {
    const spaced = `${valid.slice(0, 3)}-${valid.slice(3, 6)} ${valid.slice(6)}`;
    expect(nhsNumberEntry(spaced)).toEqual({
      state: 'valid',
      display: `${valid.slice(0, 3)} ${valid.slice(3, 6)} ${valid.slice(6)}`,
      nhsNumber: valid,
    });
  });

  it('refuses a wrong check digit at once, and says to check the digits', () => {
    const wrong = `${valid.slice(0, 9)}${(Number(valid[9]) + 1) % 10}`;
    expect(nhsNumberEntry(wrong)).toMatchObject({
      state: 'invalid',
      message: expect.stringContaining('not a valid NHS number'),
    });
  });

  it('refuses letters and an eleventh digit', () => {
    expect(nhsNumberEntry('94a')).toMatchObject({ state: 'invalid' });
    expect(nhsNumberEntry(`${valid}1`)).toMatchObject({
      state: 'invalid',
      display: expect.any(String),
    });
  });
});
