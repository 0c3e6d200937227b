/** The service's Redis connection (locks, rate limits, hot lookups). */
export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');
/** The service's name, e.g. `implant-events`: prefixes cache keys and labels logs. */
export const SERVICE_NAME = Symbol('SERVICE_NAME');
