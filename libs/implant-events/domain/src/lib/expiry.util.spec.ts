import { isExpired } from './expiry.util';

describe('isExpired', () => {
  it('lets a device be used on its expiry date and not the day after', () => {
    expect(isExpired('2026-07-01', '2026-07-01')).toBe(false);
    expect(isExpired('2026-07-01', '2026-07-02')).toBe(true);
  });

  it('is not expired when the label carries no expiry date', () => {
    expect(isExpired(undefined, '2026-07-02')).toBe(false);
  });
});
