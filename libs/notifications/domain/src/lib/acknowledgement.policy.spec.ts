import { decideStage } from './acknowledgement.policy';

describe('decideStage', () => {
  it('moves forward through the stages, skipping allowed', () => {
    expect(decideStage(undefined, 'received')).toEqual({ kind: 'advance' });
    expect(decideStage('received', 'action-underway')).toEqual({ kind: 'advance' });
    expect(decideStage('action-underway', 'action-complete')).toEqual({ kind: 'advance' });
    expect(decideStage(undefined, 'not-applicable')).toEqual({ kind: 'advance' });
    expect(decideStage('received', 'action-complete')).toEqual({ kind: 'advance' });
  });

  it('never moves back, repeats a stage, or swaps one end for the other', () => {
    expect(decideStage('action-underway', 'received').kind).toBe('refused');
    expect(decideStage('received', 'received').kind).toBe('refused');
    expect(decideStage('action-complete', 'not-applicable').kind).toBe('refused');
    expect(decideStage('not-applicable', 'action-complete').kind).toBe('refused');
  });
});
