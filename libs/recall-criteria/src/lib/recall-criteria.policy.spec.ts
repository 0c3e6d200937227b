import { InvalidCriteriaError } from './recall-criteria.errors';
import { compileCriteria, evaluateCriteria, normaliseName } from './recall-criteria.policy';
import type { CriteriaDevice, CriteriaSubject, RecallCriteria } from './recall-criteria.types';

const hip: CriteriaDevice = {
  inCatalogue: true,
  identifiers: ['05012345678900', '15012345678907', '25012345678904'],
  catalogNumber: 'REF-100',
  manufacturer: 'Acme Orthopaedics',
  model: 'Hip 2',
};

const everythingCarried = {
  lotNumber: true,
  serialNumber: true,
  manufactureDate: true,
  expirationDate: true,
};

function implant(overrides: Partial<CriteriaSubject> = {}): CriteriaSubject {
  return {
    device: hip,
    status: 'active',
    lotNumber: 'L100a',
    serialNumber: '000150',
    manufactureDate: '2025-06-15',
    expirationDate: '2030-06-14',
    labelCarries: everythingCarried,
    ...overrides,
  };
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

const byHip: RecallCriteria = { deviceIdentifiers: ['05012345678900'] };
const outcome = (criteria: RecallCriteria, subject = implant()): string =>
  evaluateCriteria(criteria, subject).kind;

describe('evaluateCriteria', () => {
  describe('device selectors', () => {
    it('selects the whole device by any of its identifiers, whatever packaging level was listed', () => {
      for (const identifier of hip.identifiers) {
        expect(outcome({ deviceIdentifiers: [identifier] })).toBe('matched');
      }
    });

    it('does not match a device none of whose identifiers is listed', () => {
      expect(outcome({ deviceIdentifiers: ['05099999999990'] })).toBe('not-matched');
    });

    it('compares device identifiers exactly', () => {
      expect(outcome({ deviceIdentifiers: ['5012345678900'] })).toBe('not-matched');
    });

    it('matches a catalogue number trimmed and case-insensitively', () => {
      expect(outcome({ catalogNumbers: [' ref-100 '] })).toBe('matched');
      expect(outcome({ catalogNumbers: ['REF-1000'] })).toBe('not-matched');
    });

    it('matches manufacturer and model trimmed, case-insensitively, with white space runs as one', () => {
      expect(outcome({ manufacturer: ' ACME   orthopaedics', models: ['hip  2'] })).toBe('matched');
    });

    it('needs both the manufacturer and one of the models', () => {
      expect(outcome({ manufacturer: 'Acme Orthopaedics', models: ['Hip 3'] })).toBe('not-matched');
      expect(outcome({ manufacturer: 'Other Ltd', models: ['Hip 2'] })).toBe('not-matched');
    });

    it('ANDs selectors of different fields: a listed identifier with another catalogue number is out', () => {
      expect(outcome({ deviceIdentifiers: ['05012345678900'], catalogNumbers: ['REF-999'] })).toBe(
        'not-matched',
      );
      expect(outcome({ deviceIdentifiers: ['05012345678900'], catalogNumbers: ['REF-100'] })).toBe(
        'matched',
      );
    });

    it('makes a device missing from the catalogue possible for an identifier it does not carry', () => {
      const unknown = implant({ device: { inCatalogue: false, identifiers: ['05099999999990'] } });
      expect(evaluateCriteria(byHip, unknown)).toEqual({
        kind: 'possible',
        because: [{ field: 'deviceIdentifier', reason: 'device-not-in-catalogue' }],
      });
    });

    it('matches a device missing from the catalogue by the listed identifier it was scanned with', () => {
      const unknown = implant({ device: { inCatalogue: false, identifiers: ['05012345678900'] } });
      expect(outcome(byHip, unknown)).toBe('matched');
    });

    it('makes a device missing from the catalogue possible for catalogue, manufacturer and model criteria', () => {
      const unknown = implant({ device: { inCatalogue: false, identifiers: ['05099999999990'] } });
      expect(
        evaluateCriteria(
          { catalogNumbers: ['REF-100'], manufacturer: 'Acme', models: ['Hip 2'] },
          unknown,
        ),
      ).toEqual({
        kind: 'possible',
        because: [
          { field: 'catalogNumber', reason: 'device-not-in-catalogue' },
          { field: 'manufacturer', reason: 'device-not-in-catalogue' },
          { field: 'model', reason: 'device-not-in-catalogue' },
        ],
      });
    });

    it('makes a device record without a catalogue number or model possible, saying so', () => {
      const bare = implant({ device: { ...hip, catalogNumber: undefined, model: ' ' } });
      expect(
        evaluateCriteria(
          { catalogNumbers: ['REF-100'], manufacturer: 'Acme Orthopaedics', models: ['Hip 2'] },
          bare,
        ),
      ).toEqual({
        kind: 'possible',
        because: [
          { field: 'catalogNumber', reason: 'not-in-device-record' },
          { field: 'model', reason: 'not-in-device-record' },
        ],
      });
    });
  });

  describe('lot numbers', () => {
    it('matches a listed lot; values within the field are OR-ed', () => {
      expect(outcome({ ...byHip, lotNumbers: ['L1', 'L100a', 'L3'] })).toBe('matched');
    });

    it('compares lots exactly and case-sensitively, as GS1 lots are', () => {
      expect(outcome({ ...byHip, lotNumbers: ['L100A'] })).toBe('not-matched');
      expect(outcome({ ...byHip, lotNumbers: ['L100'] })).toBe('not-matched');
    });
  });

  describe('serial numbers and ranges', () => {
    it('matches a listed serial exactly: leading zeros count in a list', () => {
      expect(outcome({ ...byHip, serialNumbers: ['000150'] })).toBe('matched');
      expect(outcome({ ...byHip, serialNumbers: ['150'] })).toBe('not-matched');
    });

    it('matches a numeric range by value, leading zeros ignored', () => {
      expect(outcome({ ...byHip, serialRanges: [{ from: '100', to: '199' }] })).toBe('matched');
      expect(outcome({ ...byHip, serialRanges: [{ from: '151', to: '199' }] })).toBe('not-matched');
    });

    it('matches a serial in any one of several ranges', () => {
      expect(
        outcome({
          ...byHip,
          serialRanges: [
            { from: '1', to: '9' },
            { from: '150', to: '150' },
          ],
        }),
      ).toBe('matched');
    });

    it('covers a serial in the list or in a range: the two are one serial constraint, OR-ed', () => {
      const criteria = {
        ...byHip,
        serialNumbers: ['X1'],
        serialRanges: [{ from: '100', to: '199' }],
      };
      expect(outcome(criteria)).toBe('matched');
      expect(outcome(criteria, implant({ serialNumber: 'X1' }))).toBe('matched');
      expect(outcome(criteria, implant({ serialNumber: '200' }))).toBe('not-matched');
    });

    it('never matches an alphanumeric serial with a numeric range', () => {
      expect(
        outcome(
          { ...byHip, serialRanges: [{ from: '1', to: '999999' }] },
          implant({ serialNumber: '15O' }),
        ),
      ).toBe('not-matched');
    });

    it('matches an alphanumeric range by length then text', () => {
      const criteria = { ...byHip, serialRanges: [{ from: 'SN0100', to: 'SN0199' }] };
      expect(outcome(criteria, implant({ serialNumber: 'SN0150' }))).toBe('matched');
      expect(outcome(criteria, implant({ serialNumber: 'SN01500' }))).toBe('not-matched');
    });
  });

  describe('date windows', () => {
    const made = (manufactureDate: string): CriteriaSubject => implant({ manufactureDate });
    const expires = (expirationDate: string): CriteriaSubject => implant({ expirationDate });

    it('includes both end days and excludes the days just outside', () => {
      const criteria = { ...byHip, manufacturedBetween: { from: '2025-01-01', to: '2025-12-31' } };
      expect(
        ['2024-12-31', '2025-01-01', '2025-12-31', '2026-01-01'].map((day) =>
          outcome(criteria, made(day)),
        ),
      ).toEqual(['not-matched', 'matched', 'matched', 'not-matched']);
    });

    it('leaves a window open at its missing end', () => {
      expect(
        outcome({ ...byHip, expiresBetween: { from: '2030-01-01' } }, expires('2099-12-31')),
      ).toBe('matched');
      expect(
        outcome({ ...byHip, expiresBetween: { from: '2030-01-01' } }, expires('2029-12-31')),
      ).toBe('not-matched');
      expect(
        outcome({ ...byHip, expiresBetween: { to: '2030-01-01' } }, expires('1990-01-01')),
      ).toBe('matched');
      expect(
        outcome({ ...byHip, expiresBetween: { to: '2030-01-01' } }, expires('2030-01-02')),
      ).toBe('not-matched');
    });

    it('checks manufacture and expiry windows each against its own date', () => {
      const criteria = {
        ...byHip,
        manufacturedBetween: { to: '2025-06-15' },
        expiresBetween: { from: '2030-06-14' },
      };
      expect(outcome(criteria)).toBe('matched');
      expect(
        outcome(criteria, implant({ manufactureDate: '2030-06-14', expirationDate: '2025-06-15' })),
      ).toBe('not-matched');
    });
  });

  describe('fields the label or the record does not have', () => {
    it('makes a constrained field the label never carries possible, naming the field', () => {
      const noDates = implant({
        manufactureDate: undefined,
        labelCarries: { ...everythingCarried, manufactureDate: false },
      });
      expect(
        evaluateCriteria({ ...byHip, manufacturedBetween: { from: '2025-01-01' } }, noDates),
      ).toEqual({
        kind: 'possible',
        because: [{ field: 'manufactureDate', reason: 'label-does-not-carry' }],
      });
    });

    it('makes a field the label carries but the record lacks possible, as not captured', () => {
      const noLot = implant({ lotNumber: undefined });
      expect(evaluateCriteria({ ...byHip, lotNumbers: ['L100a'] }, noLot)).toEqual({
        kind: 'possible',
        because: [{ field: 'lotNumber', reason: 'not-captured' }],
      });
    });

    it('treats an empty value as not captured, and unknown label contents as not captured', () => {
      const subject = implant({ serialNumber: '', labelCarries: undefined });
      expect(
        evaluateCriteria({ ...byHip, serialRanges: [{ from: '1', to: '2' }] }, subject),
      ).toEqual({
        kind: 'possible',
        because: [{ field: 'serialNumber', reason: 'not-captured' }],
      });
    });

    it('lists every unknown constrained field', () => {
      const bare = implant({
        lotNumber: undefined,
        serialNumber: undefined,
        manufactureDate: undefined,
        expirationDate: undefined,
        labelCarries: {
          lotNumber: true,
          serialNumber: false,
          manufactureDate: false,
          expirationDate: true,
        },
      });
      const criteria: RecallCriteria = {
        ...byHip,
        lotNumbers: ['L1'],
        serialNumbers: ['S1'],
        manufacturedBetween: { from: '2020-01-01' },
        expiresBetween: { to: '2040-01-01' },
      };
      expect(evaluateCriteria(criteria, bare)).toEqual({
        kind: 'possible',
        because: [
          { field: 'lotNumber', reason: 'not-captured' },
          { field: 'serialNumber', reason: 'label-does-not-carry' },
          { field: 'manufactureDate', reason: 'label-does-not-carry' },
          { field: 'expirationDate', reason: 'not-captured' },
        ],
      });
    });

    it('is not possible when a known field rules the implant out', () => {
      const noDate = implant({ manufactureDate: undefined });
      expect(
        outcome(
          { ...byHip, lotNumbers: ['L999'], manufacturedBetween: { from: '2025-01-01' } },
          noDate,
        ),
      ).toBe('not-matched');
    });

    it('ignores a missing field that the criteria do not constrain', () => {
      expect(
        outcome({ ...byHip, lotNumbers: ['L100a'] }, implant({ serialNumber: undefined })),
      ).toBe('matched');
    });
  });

  describe('status', () => {
    it.each(['explanted', 'entered-in-error'] as const)('never matches an implant %s', (status) => {
      expect(outcome(byHip, implant({ status }))).toBe('not-matched');
      expect(
        outcome({ ...byHip, lotNumbers: ['L1'] }, implant({ status, lotNumber: undefined })),
      ).toBe('not-matched');
    });
  });

  it('refuses criteria validateCriteria refuses, with every problem', () => {
    const error = thrownBy(() => evaluateCriteria({ lotNumbers: [] }, implant()));
    expect(error).toBeInstanceOf(InvalidCriteriaError);
    expect((error as InvalidCriteriaError).problems.map((problem) => problem.field)).toEqual([
      'criteria',
      'criteria.lotNumbers',
    ]);
  });
});

describe('compileCriteria', () => {
  it('evaluates many subjects with one compiled recall as evaluateCriteria does each', () => {
    const criteria: RecallCriteria = { ...byHip, serialRanges: [{ from: '100', to: '199' }] };
    const matcher = compileCriteria(criteria);
    const subjects = ['99', '100', '199', '200', 'A150'].map((serialNumber) =>
      implant({ serialNumber }),
    );
    expect(subjects.map((subject) => matcher.evaluate(subject))).toEqual(
      subjects.map((subject) => evaluateCriteria(criteria, subject)),
    );
  });
});

describe('normaliseName', () => {
  it('trims, collapses white space and folds case', () => {
    expect(normaliseName('  Acme \t Orthopaedics\n')).toBe('acme orthopaedics');
  });
});
