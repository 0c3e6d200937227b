import { encodeWristbandGsrn, testNhsNumber } from '@implant-trace/identifiers';

import { canonicalScan, displayableScan, subjectOfScan } from './scan-text.util';
import { GROUP_SEPARATOR } from './wedge-burst.detector';

describe('canonicalScan', () => {
  it('strips one CR, LF or CRLF suffix and keeps a trailing space (a HIBCC check character)', () => {
    expect(canonicalScan('(01)05012345678900\r\n')).toBe('(01)05012345678900');
    expect(canonicalScan('(01)05012345678900\n')).toBe('(01)05012345678900');
    expect(canonicalScan('(01)05012345678900\r')).toBe('(01)05012345678900');
    expect(canonicalScan('+A99912345/$$52001510X3 ')).toBe('+A99912345/$$52001510X3 ');
  });

  it("replaces the trust's GS aliases by GS, the longest alias first", () => {
    expect(
      canonicalScan('0105012345678900{GS}10LOT1^]21S1', { gsAliases: ['^]', '{GS}', '{'] }),
    ).toBe(`0105012345678900${GROUP_SEPARATOR}10LOT1${GROUP_SEPARATOR}21S1`);
  });

  it('shows GS as a visible mark for confirmation', () => {
    expect(displayableScan(`01${GROUP_SEPARATOR}10`)).toBe('01⟨GS⟩10');
  });
});

describe('subjectOfScan', () => {
  const gsrn = encodeWristbandGsrn('0123456', testNhsNumber(1));

  it('tells a wristband (AI 8018) from a device label', () => {
    expect(subjectOfScan(`(8018)${gsrn}`)).toBe('wristband');
    expect(subjectOfScan(`]d2${GROUP_SEPARATOR}8018${gsrn}`)).toBe('wristband');
    expect(subjectOfScan('(01)05012345678900(10)LOT1')).toBe('device');
    expect(subjectOfScan('05012345678900')).toBe('device');
  });

  it('keeps a damaged wristband a wristband, so the patient step says what is wrong', () => {
    expect(subjectOfScan(`(8018)${gsrn.slice(0, -1)}${(Number(gsrn.at(-1)) + 1) % 10}`)).toBe(
      'wristband',
    );
  });
});
