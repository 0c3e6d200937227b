import { withinDeadline } from './within-deadline.util';

describe('withinDeadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("gives the work's outcome when it settles first", async () => {
    await expect(withinDeadline(Promise.resolve(7), 100, () => new Error('late'))).resolves.toBe(7);
    await expect(
      withinDeadline(Promise.reject(new Error('refused')), 100, () => new Error('late')),
    ).rejects.toThrow('refused');
  });

  it('rejects with the expired error once the deadline passes, and swallows the late failure', async () => {
    let fail: (error: Error) => void = () => undefined;
    const work = new Promise<void>((_, reject) => {
      fail = reject;
    });
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const outcome = withinDeadline(work, 100, () => new Error('no answer in 100 ms'));
      jest.advanceTimersByTime(100);
      await expect(outcome).rejects.toThrow('no answer in 100 ms');
      fail(new Error('the connection closed'));
      jest.useRealTimers();
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('leaves no timer behind when the work settles first', async () => {
    await withinDeadline(Promise.resolve(), 60_000, () => new Error('late'));
    expect(jest.getTimerCount()).toBe(0);
  });
});
