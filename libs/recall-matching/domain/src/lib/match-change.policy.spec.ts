import { decideMatchChange, withdrawalCauseOf } from './match-change.policy';

describe('decideMatchChange', () => {
  const live = { matchId: 'm', kind: 'matched' as const, live: true };
  const withdrawn = { ...live, live: false };

  it.each([
    ['nothing held, not covered', undefined, undefined, { action: 'none' }],
    ['nothing held, covered', undefined, 'possible', { action: 'find', kind: 'possible' }],
    ['live, covered the same way', live, 'matched', { action: 'none' }],
    ['live, now only possible', live, 'possible', { action: 'change-kind', kind: 'possible' }],
    ['live, no longer covered', live, undefined, { action: 'withdraw' }],
    ['withdrawn, covered again', withdrawn, 'matched', { action: 'find', kind: 'matched' }],
    ['withdrawn, still not covered', withdrawn, undefined, { action: 'none' }],
  ] as const)('%s', (_case, held, outcome, change) => {
    expect(decideMatchChange(held, outcome)).toEqual(change);
  });

  it('publishes nothing when the same outcome is applied again', () => {
    const first = decideMatchChange(undefined, 'matched');
    expect(first.action).toBe('find');
    expect(decideMatchChange({ matchId: 'm', kind: 'matched', live: true }, 'matched')).toEqual({
      action: 'none',
    });
  });
});

describe('withdrawalCauseOf', () => {
  it("gives the implant's own fate before the recall's", () => {
    expect(withdrawalCauseOf('explanted', 'criteria-narrowed')).toBe('explanted');
    expect(withdrawalCauseOf('entered-in-error', 'recall-closed')).toBe('entered-in-error');
    expect(withdrawalCauseOf('active', 'recall-closed')).toBe('recall-closed');
  });
});
