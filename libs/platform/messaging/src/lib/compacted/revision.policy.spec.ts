import fc from 'fast-check';

import { decideRevision } from './revision.policy';

describe('decideRevision', () => {
  it('applies the first revision of a record it has never held', () => {
    expect(decideRevision(undefined, 1)).toBe('apply');
    expect(decideRevision(undefined, 7)).toBe('apply');
  });

  it('applies only a strictly newer revision', () => {
    expect(decideRevision(3, 4)).toBe('apply');
    expect(decideRevision(3, 10)).toBe('apply');
  });

  it('ignores the revision it already holds, however often it comes again', () => {
    expect(decideRevision(3, 3)).toBe('already-applied');
  });

  it('ignores an older revision, so a stale duplicate never replaces a newer record', () => {
    expect(decideRevision(3, 2)).toBe('stale');
    expect(decideRevision(3, 1)).toBe('stale');
  });

  it('lets the newest revision win whatever order the revisions of a record arrive in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1 }), (arrivals) => {
        let held: number | undefined;
        for (const revision of arrivals) {
          if (decideRevision(held, revision) === 'apply') held = revision;
        }
        expect(held).toBe(Math.max(...arrivals));
      }),
    );
  });

  it('refuses a revision that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) {
      expect(() => decideRevision(undefined, bad)).toThrow(RangeError);
    }
  });
});
