import { isOverdue, type AcknowledgementStage } from './recall-progress.policy';

const recall = {
  status: 'open' as const,
  actionsUnderwayBy: '2026-12-08',
  actionsCompleteBy: '2027-01-31',
};

describe('isOverdue', () => {
  it.each<[string, AcknowledgementStage | undefined, boolean]>([
    ['2026-12-08', undefined, false],
    ['2026-12-09', undefined, true],
    ['2026-12-09', 'received', true],
    ['2026-12-09', 'action-underway', false],
    ['2027-02-01', 'action-underway', true],
    ['2027-02-01', 'action-complete', false],
    ['2027-02-01', 'not-applicable', false],
  ])('on %s at stage %s: %s', (today, stage, overdue) => {
    expect(isOverdue(recall, stage, today)).toBe(overdue);
  });

  it('is never overdue without deadlines, or once the recall is closed', () => {
    expect(isOverdue({ status: 'open' }, undefined, '2030-01-01')).toBe(false);
    expect(isOverdue({ ...recall, status: 'closed' }, undefined, '2030-01-01')).toBe(false);
  });
});
