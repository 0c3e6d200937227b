import {
  startOwnRedisServer,
  testInfrastructure,
  uniqueName,
  waitFor,
} from '@implant-trace/platform-testing';

import { cacheKey, connectRedis, RedisTimeoutError } from './redis-client.factory';

describe('connectRedis against the real Redis', () => {
  it('round-trips a value with an expiry', async () => {
    const client = await connectRedis(testInfrastructure().redisUrl, {
      clientName: 'it-cache',
      commandTimeoutMs: 1_000,
    });
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

  it('fails every call within its deadline while Redis hangs, and at once while it is down', async () => {
    const server = await startOwnRedisServer();
    const client = await connectRedis(server.url, { commandTimeoutMs: 200 });
    try {
      expect(await client.ping()).toBe('PONG');
      server.hang();
      await expect(client.get('any')).rejects.toThrow(RedisTimeoutError);
      await expect(client.eval('return 1', { keys: [], arguments: [] })).rejects.toThrow(
        RedisTimeoutError,
      );
      server.resume();
      await server.stop();
      await waitFor(async () => !client.isReady, { description: 'the client to see Redis gone' });
      await expect(client.get('any')).rejects.toThrow(/offline/);
    } finally {
      await server.stop();
      await client.close();
    }
  });
});
