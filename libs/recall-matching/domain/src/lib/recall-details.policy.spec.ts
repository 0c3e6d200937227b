import {
  InvalidRecallError,
  nextChangeTime,
  prepareRecallTerms,
  recallTermsProblems,
} from './recall-details.policy';

describe('recallTermsProblems', () => {
  it('names the criteria problems and deadlines out of order', () => {
    expect(
      recallTermsProblems({
        criteria: { lotNumbers: ['L1'] },
        actionsUnderwayBy: '2027-01-10',
        actionsCompleteBy: '2027-01-09',
      }).map((problem) => problem.field),
    ).toEqual(['criteria', 'actionsCompleteBy']);
  });

  it('accepts valid criteria and deadlines on one day', () => {
    expect(
      recallTermsProblems({
        criteria: { deviceIdentifiers: ['05012345678900'] },
        actionsUnderwayBy: '2027-01-10',
        actionsCompleteBy: '2027-01-10',
      }),
    ).toEqual([]);
  });
});

describe('nextChangeTime', () => {
  const previous = new Date('2026-12-01T09:00:00.000Z');

  it('is now when the clock has moved on', () => {
    const now = new Date('2026-12-01T09:00:01.000Z');
    expect(nextChangeTime(previous, now)).toEqual(now);
  });

  it('is a millisecond after the last change when the clock has not moved or stepped back', () => {
    const later = new Date('2026-12-01T09:00:00.001Z');
    expect(nextChangeTime(previous, previous)).toEqual(later);
    expect(nextChangeTime(previous, new Date('2026-12-01T08:00:00Z'))).toEqual(later);
  });
});

describe('prepareRecallTerms', () => {
  it("gives the criteria's device identifiers in the catalogue's form, once each", () => {
    expect(
      prepareRecallTerms({
        criteria: { deviceIdentifiers: ['5012345678900', '05012345678900', '+h123abc1'] },
      }).criteria,
    ).toEqual({ deviceIdentifiers: ['05012345678900', 'H123ABC1'] });
  });

  it('refuses an identifier no agency issues, naming it, with every other problem', () => {
    let refused: unknown;
    try {
      prepareRecallTerms({
        criteria: { deviceIdentifiers: ['05012345678900', '05012345678901'], models: ['M'] },
      });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(InvalidRecallError);
    expect((refused as InvalidRecallError).problems.map((problem) => problem.field)).toEqual([
      'criteria.deviceIdentifiers[1]',
      'criteria.manufacturer',
    ]);
  });
});
