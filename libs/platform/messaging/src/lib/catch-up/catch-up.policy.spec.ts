import { eventsBehind } from './catch-up.policy';

describe('eventsBehind', () => {
  it('counts what each partition still has to apply up to the end read at start', () => {
    expect(
      eventsBehind([
        { partition: 0, low: '0', endAtStart: '10', committed: '7' },
        { partition: 1, low: '0', endAtStart: '4', committed: '4' },
      ]),
    ).toBe(3);
  });

  it('counts from the first offset held when the group has committed nothing', () => {
    expect(eventsBehind([{ partition: 0, low: '5', endAtStart: '9', committed: '-1' }])).toBe(4);
  });

  it('is caught up on an empty partition and past the end read at start', () => {
    expect(
      eventsBehind([
        { partition: 0, low: '3', endAtStart: '3', committed: '-1' },
        { partition: 1, low: '0', endAtStart: '3', committed: '8' },
      ]),
    ).toBe(0);
  });
});
