const ATTEMPTS = 10;
const MAX_PAUSE_MS = 5_000;

/**
 * Runs a group-offset request of kafkajs's admin again while the broker answers it with a
 * retriable error. kafkajs's admin retries its topic requests but not fetching or setting a
 * group's offsets, and a broker that has just started answers those "the coordinator is
 * loading" for some seconds: an operator's re-drive or rewind would fail on it.
 */
export async function whileCoordinatorLoads<T>(
  request: () => Promise<T>,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await request();
    } catch (error) {
      const retriable = (error as { retriable?: unknown } | null)?.retriable === true;
      if (!retriable || attempt >= ATTEMPTS) throw error;
      await pause(Math.min(MAX_PAUSE_MS, 100 * 2 ** attempt));
    }
  }
}
