import { rateWindow, retryAfterSeconds } from './rate-limit.policy';

describe('rate limit policy', () => {
  it('places a moment in its fixed window and says when the window resets', () => {
    expect(rateWindow(125_400, 60)).toEqual({ windowStart: 120, secondsToReset: 55 });
    expect(rateWindow(120_000, 60)).toEqual({ windowStart: 120, secondsToReset: 60 });
  });

  it('limits only beyond the allowance', () => {
    const window = { windowStart: 120, secondsToReset: 55 };
    expect(retryAfterSeconds(10, { limit: 10, windowSeconds: 60 }, window)).toBeUndefined();
    expect(retryAfterSeconds(11, { limit: 10, windowSeconds: 60 }, window)).toBe(55);
  });
});
