export { cacheKey, connectRedis, type RedisConnection } from './lib/redis-client.factory';
