import { waitFor } from './wait-for.util';

describe('waitFor', () => {
  it('returns the first truthy value the probe yields', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? 'ready' : undefined), { intervalMs: 1 });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('fails after the deadline naming what it waited for and the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('broker down');
        },
        { timeoutMs: 20, intervalMs: 5, description: 'the broker' },
      ),
    ).rejects.toThrow(/waiting for the broker: broker down/);
  });
});
