import {
  calendarDate,
  daysInMonth,
  digitsAt,
  gs1FullYear,
  isoDate,
  ordinalDate,
  twoDigits,
} from './calendar.util';

describe('GS1 century window (GS1 General Specifications 7.12)', () => {
  it.each([
    // Current year 2026: the window runs from 49 years back to 50 years ahead.
    [2026, 75, 2075],
    [2026, 76, 2076],
    [2026, 77, 1977],
    [2026, 0, 2000],
    [2026, 99, 1999],
    // Near a century end, small years roll into the next century (difference -50 or less).
    [2080, 29, 2129],
    [2080, 30, 2130],
    [2080, 31, 2031],
    [2000, 50, 2050],
    [2000, 51, 1951],
  ])('in %i, YY %i is %i', (current, yy, expected) => {
    expect(gs1FullYear(yy, current)).toBe(expected);
  });
});

describe('calendar helpers', () => {
  it('knows leap years', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2025, 4)).toBe(30);
  });

  it('turns ordinal days into dates and rejects days outside the year', () => {
    expect(ordinalDate(2024, 60)).toBe('2024-02-29');
    expect(ordinalDate(2025, 60)).toBe('2025-03-01');
    expect(ordinalDate(2024, 366)).toBe('2024-12-31');
    expect(ordinalDate(2025, 366)).toBeUndefined();
    expect(ordinalDate(2025, 0)).toBeUndefined();
  });

  it('formats dates inside and outside the cached years alike', () => {
    expect(isoDate(2026, 1, 5)).toBe('2026-01-05');
    expect(isoDate(2026, 1, 5)).toBe('2026-01-05');
    expect(isoDate(1899, 12, 31)).toBe('1899-12-31');
    expect(isoDate(2200, 1, 1)).toBe('2200-01-01');
  });

  it('rejects impossible calendar dates', () => {
    expect(calendarDate(2025, 2, 29)).toBeUndefined();
    expect(calendarDate(2025, 13, 1)).toBeUndefined();
    expect(calendarDate(2025, 1, 0)).toBeUndefined();
    expect(calendarDate(2025, 1, 9)).toBe('2025-01-09');
  });

  it('reads digits and refuses anything else', () => {
    expect(twoDigits('x07', 1)).toBe(7);
    expect(twoDigits('7a', 0)).toBe(-1);
    expect(digitsAt('12345', 1, 3)).toBe(234);
    expect(digitsAt('12', 0, 3)).toBe(-1);
    expect(digitsAt('1/3', 0, 3)).toBe(-1);
  });
});
