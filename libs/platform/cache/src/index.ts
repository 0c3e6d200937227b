export {
  cacheKey,
  connectRedis,
  RedisTimeoutError,
  type RedisConnection,
  type RedisConnectionOptions,
} from './lib/redis-client.factory';
