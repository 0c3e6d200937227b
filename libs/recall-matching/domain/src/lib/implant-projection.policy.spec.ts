import fc from 'fast-check';

import { nextProjectedStatus } from './implant-projection.policy';
import { PROJECTED_STATUSES, type ProjectedStatus } from './projected-implant.types';

describe('nextProjectedStatus', () => {
  it('keeps an explant heard before the record out of the active set', () => {
    expect(nextProjectedStatus('explanted', 'active')).toBe('explanted');
  });

  it('keeps a record entered in error so when an explant of it arrives after', () => {
    expect(nextProjectedStatus('entered-in-error', 'explanted')).toBe('entered-in-error');
  });

  it('ends in the same status whatever order the facts arrive in, redeliveries included', () => {
    const fact = fc.constantFrom<ProjectedStatus>(...PROJECTED_STATUSES);
    fc.assert(
      fc.property(fc.array(fact, { minLength: 1, maxLength: 8 }), (facts) => {
        const fold = (order: ProjectedStatus[]) =>
          order.reduce<ProjectedStatus | undefined>(nextProjectedStatus, undefined);
        const reversed = [...facts].reverse();
        const twice = facts.flatMap((f) => [f, f]);
        expect(fold(reversed)).toBe(fold(facts));
        expect(fold(twice)).toBe(fold(facts));
      }),
    );
  });
});
