import { todayInLondon } from './london-date.util';

const at = (iso: string) => ({ now: () => new Date(iso) });

describe('todayInLondon', () => {
  it('is the next day in London just after midnight BST, while UTC is still on the day before', () => {
    expect(todayInLondon(at('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
  });

  it('is the UTC date in winter (GMT)', () => {
    expect(todayInLondon(at('2026-12-31T23:30:00Z'))).toBe('2026-12-31');
  });
});
