import {
  compareLengthThenText,
  isInvertedRange,
  isNumericSerial,
  serialInRange,
  serialRangeRule,
} from './serial-order.util';

const inRange = (serial: string, from: string, to: string): boolean =>
  serialInRange(serial, serialRangeRule({ from, to }));

describe('isNumericSerial', () => {
  it('is true for ASCII digits only, leading zeros included', () => {
    expect(['0', '007', '123456789012345678901234567890'].map(isNumericSerial)).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('is false for letters, signs, spaces, non-ASCII digits and the empty serial', () => {
    expect(['', 'A1', '-1', '+1', '1 ', '1.0', '١٢'].map(isNumericSerial)).toEqual(
      Array(7).fill(false),
    );
  });
});

describe('compareLengthThenText', () => {
  it('orders a shorter text first whatever its characters', () => {
    expect(compareLengthThenText('Z9', 'A100')).toBeLessThan(0);
    expect(compareLengthThenText('A100', 'Z9')).toBeGreaterThan(0);
  });

  it('orders texts of one length by code unit, upper case before lower case', () => {
    expect(compareLengthThenText('A100', 'A101')).toBeLessThan(0);
    expect(compareLengthThenText('AB', 'Ab')).toBeLessThan(0);
    expect(compareLengthThenText('A100', 'A100')).toBe(0);
  });
});

describe('serialRangeRule', () => {
  it('is numeric when both ends are numeric, as big integers', () => {
    expect(serialRangeRule({ from: '0001', to: '99999999999999999999' })).toEqual({
      kind: 'numeric',
      from: 1n,
      to: 99999999999999999999n,
    });
  });

  it('is length-then-text when either end is not numeric', () => {
    expect(serialRangeRule({ from: '100', to: 'A200' }).kind).toBe('length-then-text');
    expect(serialRangeRule({ from: 'A100', to: '200' }).kind).toBe('length-then-text');
  });
});

describe('serialInRange', () => {
  describe('numeric range', () => {
    it('includes both ends', () => {
      expect([inRange('100', '100', '200'), inRange('200', '100', '200')]).toEqual([true, true]);
    });

    it('excludes the values just outside', () => {
      expect([inRange('99', '100', '200'), inRange('201', '100', '200')]).toEqual([false, false]);
    });

    it('compares by value, so leading zeros on either side do not count', () => {
      expect(inRange('0150', '100', '200')).toBe(true);
      expect(inRange('150', '0100', '0200')).toBe(true);
      expect(inRange('00099', '0100', '0200')).toBe(false);
    });

    it('compares beyond 2^53 exactly', () => {
      expect(inRange('9007199254740993', '9007199254740993', '9007199254740993')).toBe(true);
      expect(inRange('9007199254740992', '9007199254740993', '9007199254740999')).toBe(false);
    });

    it('never holds a serial that is not numeric itself', () => {
      expect(inRange('15A', '1', '999')).toBe(false);
      expect(inRange('A', '1', '999')).toBe(false);
    });
  });

  describe('length-then-text range', () => {
    it('includes both ends and what lies between them', () => {
      expect(['A100', 'A150', 'A199'].map((s) => inRange(s, 'A100', 'A199'))).toEqual([
        true,
        true,
        true,
      ]);
    });

    it('excludes a longer or shorter serial even when its text sorts inside', () => {
      expect(inRange('A1500', 'A100', 'A199')).toBe(false);
      expect(inRange('A15', 'A100', 'A199')).toBe(false);
    });

    it('spans lengths: A9..A200 holds A50, A150 and B1 (length 2 after A9) but not A1', () => {
      expect(inRange('A50', 'A9', 'A200')).toBe(true);
      expect(inRange('A150', 'A9', 'A200')).toBe(true);
      expect(inRange('B1', 'A9', 'A200')).toBe(true);
      expect(inRange('A1', 'A9', 'A200')).toBe(false);
    });

    it('is case-sensitive', () => {
      expect(inRange('a150', 'A100', 'A199')).toBe(false);
    });

    it('orders a numeric serial by its text when the range is alphanumeric (mixed ends)', () => {
      expect(inRange('150', '100', '1ZZ')).toBe(true);
      expect(inRange('0150', '100', '1ZZ')).toBe(false);
    });
  });
});

describe('isInvertedRange', () => {
  it('is false for a single-serial range and for an ordered one', () => {
    expect([
      isInvertedRange({ from: '5', to: '5' }),
      isInvertedRange({ from: '1', to: '9' }),
    ]).toEqual([false, false]);
  });

  it('compares numeric ends by value: 010 to 9 is inverted, 9 to 010 is not', () => {
    expect(isInvertedRange({ from: '010', to: '9' })).toBe(true);
    expect(isInvertedRange({ from: '9', to: '010' })).toBe(false);
  });

  it('compares mixed ends by length then text', () => {
    expect(isInvertedRange({ from: 'A200', to: 'A100' })).toBe(true);
    expect(isInvertedRange({ from: 'A100', to: '99' })).toBe(true);
    expect(isInvertedRange({ from: '99', to: 'A100' })).toBe(false);
  });
});
