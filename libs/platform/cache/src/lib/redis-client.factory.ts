import { createClient } from 'redis';

export type RedisConnection = ReturnType<typeof createClient>;

/**
 * Connected Redis client. Redis holds only rebuildable hot data (lookups, locks, rate
 * limits), so reconnection is bounded and a failing cache surfaces as readiness, not a crash.
 */
export async function connectRedis(url: string, clientName?: string): Promise<RedisConnection> {
  const client = createClient({
    url,
    ...(clientName === undefined ? {} : { name: clientName }),
    socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2_000) },
  });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Key convention: `<service>:<kind>:<id...>`, so services never collide on one Redis. */
export function cacheKey(service: string, kind: string, ...ids: string[]): string {
  for (const part of [service, kind, ...ids]) {
    if (part === '' || part.includes(':')) throw new Error(`invalid cache key part "${part}"`);
  }
  return [service, kind, ...ids].join(':');
}
