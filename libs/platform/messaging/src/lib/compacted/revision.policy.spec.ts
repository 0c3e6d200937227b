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

  it('refuses a revision that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) {
      expect(() => decideRevision(undefined, bad)).toThrow(RangeError);
    }
  });
});
