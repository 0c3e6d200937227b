import { isCalendarDate, validateCriteria } from './criteria-validation.util';
import type { RecallCriteria } from './recall-criteria.types';

const byDevice: RecallCriteria = { deviceIdentifiers: ['05012345678900'] };
const fields = (criteria: RecallCriteria): string[] =>
  validateCriteria(criteria).map((problem) => problem.field);

describe('validateCriteria', () => {
  describe('device selector', () => {
    it.each<[string, RecallCriteria]>([
      ['device identifiers', { deviceIdentifiers: ['05012345678900'] }],
      ['catalogue numbers', { catalogNumbers: ['REF-1'] }],
      ['a manufacturer with models', { manufacturer: 'Acme', models: ['Hip 2'] }],
    ])('accepts %s as the selector', (_name, criteria) => {
      expect(validateCriteria(criteria)).toEqual([]);
    });

    it.each<[string, RecallCriteria]>([
      ['nothing', {}],
      ['only production identifiers', { lotNumbers: ['L1'], expiresBetween: { to: '2027-01-01' } }],
      ['a manufacturer without models', { manufacturer: 'Acme' }],
      ['empty selector lists', { deviceIdentifiers: [], catalogNumbers: [] }],
    ])('refuses %s, naming the criteria', (_name, criteria) => {
      expect(validateCriteria(criteria)).toContainEqual({
        field: 'criteria',
        message:
          'needs a device selector: deviceIdentifiers, catalogNumbers, or manufacturer with models',
      });
    });

    it('requires a manufacturer with models, naming the manufacturer', () => {
      expect(fields({ ...byDevice, models: ['Hip 2'] })).toEqual(['criteria.manufacturer']);
    });

    it('refuses a blank manufacturer', () => {
      expect(fields({ manufacturer: '  ', models: ['Hip 2'] })).toEqual([
        'criteria',
        'criteria.manufacturer',
      ]);
    });
  });

  describe('lists', () => {
    it.each(['deviceIdentifiers', 'catalogNumbers', 'models', 'lotNumbers', 'serialNumbers'])(
      'refuses an empty %s list: it would select nothing',
      (field) => {
        const criteria = { ...byDevice, manufacturer: 'Acme', [field]: [] } as RecallCriteria;
        if (field === 'deviceIdentifiers') criteria.catalogNumbers = ['REF-1'];
        expect(validateCriteria(criteria)).toContainEqual({
          field: `criteria.${field}`,
          message: 'an empty list selects nothing: leave the field out instead',
        });
      },
    );

    it('refuses an empty serialRanges list', () => {
      expect(fields({ ...byDevice, serialRanges: [] })).toEqual(['criteria.serialRanges']);
    });

    it('names each empty or space-padded exact value by its index', () => {
      expect(
        fields({
          deviceIdentifiers: ['05012345678900', ' 05012345678917'],
          lotNumbers: ['L1', '', 'L3 '],
          serialNumbers: ['\tS1'],
        }),
      ).toEqual([
        'criteria.deviceIdentifiers[1]',
        'criteria.lotNumbers[1]',
        'criteria.lotNumbers[2]',
        'criteria.serialNumbers[0]',
      ]);
    });

    it('lets padded names through (compared trimmed) but not blank ones', () => {
      expect(
        fields({ catalogNumbers: [' REF-1 ', ' '], manufacturer: ' Acme', models: [''] }),
      ).toEqual(['criteria.catalogNumbers[1]', 'criteria.models[0]']);
    });
  });

  describe('serial ranges', () => {
    it('accepts ordered ranges, a single-serial range, and mixed ends in length-then-text order', () => {
      expect(
        validateCriteria({
          ...byDevice,
          serialRanges: [
            { from: '0001', to: '0999' },
            { from: 'A5', to: 'A5' },
            { from: '99', to: 'A100' },
          ],
        }),
      ).toEqual([]);
    });

    it('names each range whose from is after its to', () => {
      expect(
        validateCriteria({
          ...byDevice,
          serialRanges: [
            { from: '1', to: '9' },
            { from: '010', to: '9' },
            { from: 'A200', to: 'A100' },
          ],
        }),
      ).toEqual([
        { field: 'criteria.serialRanges[1]', message: 'from 010 is after to 9' },
        { field: 'criteria.serialRanges[2]', message: 'from A200 is after to A100' },
      ]);
    });

    it('names an empty or padded end', () => {
      expect(fields({ ...byDevice, serialRanges: [{ from: '', to: '9 ' }] })).toEqual([
        'criteria.serialRanges[0].from',
        'criteria.serialRanges[0].to',
      ]);
    });
  });

  describe('date windows', () => {
    it.each(['manufacturedBetween', 'expiresBetween'] as const)(
      'accepts %s open at either end or closed on one day',
      (field) => {
        for (const window of [
          { from: '2026-01-01' },
          { to: '2026-01-01' },
          { from: '2026-01-01', to: '2026-01-01' },
        ]) {
          expect(validateCriteria({ ...byDevice, [field]: window })).toEqual([]);
        }
      },
    );

    it.each(['manufacturedBetween', 'expiresBetween'] as const)(
      'refuses an inverted %s',
      (field) => {
        expect(
          validateCriteria({ ...byDevice, [field]: { from: '2026-03-02', to: '2026-03-01' } }),
        ).toEqual([
          { field: `criteria.${field}`, message: 'from 2026-03-02 is after to 2026-03-01' },
        ]);
      },
    );

    it('refuses a window with neither end', () => {
      expect(fields({ ...byDevice, expiresBetween: {} })).toEqual(['criteria.expiresBetween']);
    });

    it('names an end that is not a calendar day', () => {
      expect(
        fields({ ...byDevice, manufacturedBetween: { from: '2026-02-29', to: '2026-13-01' } }),
      ).toEqual(['criteria.manufacturedBetween.from', 'criteria.manufacturedBetween.to']);
    });
  });

  it('lists every problem at once, under the path given', () => {
    expect(
      validateCriteria(
        {
          lotNumbers: [],
          serialRanges: [{ from: '9', to: '1' }],
          expiresBetween: { from: '2027-01-02', to: '2027-01-01' },
        },
        'body.criteria',
      ).map((problem) => problem.field),
    ).toEqual([
      'body.criteria',
      'body.criteria.lotNumbers',
      'body.criteria.serialRanges[0]',
      'body.criteria.expiresBetween',
    ]);
  });
});

describe('isCalendarDate', () => {
  it('accepts real days, 29 February of a leap year included', () => {
    expect(['2024-02-29', '2026-12-31', '2000-02-29', '0004-02-29'].every(isCalendarDate)).toBe(
      true,
    );
  });

  it('refuses impossible days and other spellings', () => {
    expect(
      [
        '2026-02-29',
        '0001-02-29',
        '1900-02-29',
        '2026-04-31',
        '2026-00-10',
        '2026-1-01',
        '20260101',
        '2026-01-01T00:00',
      ].some(isCalendarDate),
    ).toBe(false);
  });
});
