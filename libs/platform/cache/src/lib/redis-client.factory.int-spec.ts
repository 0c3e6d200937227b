import { testInfrastructure, uniqueName } from '@implant-trace/platform-testing';

import { cacheKey, connectRedis } from './redis-client.factory';

describe('connectRedis against the real Redis', () => {
  it('round-trips a value with an expiry', async () => {
    const client = await connectRedis(testInfrastructure().redisUrl, 'it-cache');
    try {
      const key = cacheKey('it', 'probe', uniqueName('key'));
      await client.set(key, 'value', { EX: 30 });
      expect(await client.get(key)).toBe('value');
      expect(await client.ttl(key)).toBeGreaterThan(0);
      await client.del(key);
      expect(await client.get(key)).toBeNull();
    } finally {
      await client.quit();
    }
  });
});
