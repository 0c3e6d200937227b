import type { Environment } from '@implant-trace/platform-config';
import { loadConfig } from '@implant-trace/platform-config';

import { testInfrastructure } from './test-infrastructure.util';

/**
 * A service's config pointed at the real test servers, in its own schema, with a token secret
 * made by the test; `overrides` are further environment variables.
 */
export function testServiceConfig<T extends object>(
  configClass: new () => T,
  {
    schema,
    jwtSecret,
    overrides = {},
  }: { schema: string; jwtSecret: string; overrides?: Environment },
): T {
  const infrastructure = testInfrastructure();
  return loadConfig(configClass, {
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    AUTH_JWT_SECRET: jwtSecret,
    DATABASE_URL: infrastructure.databaseUrl,
    DATABASE_SCHEMA: schema,
    REDIS_URL: infrastructure.redisUrl,
    KAFKA_BROKERS: infrastructure.kafkaBrokers.join(','),
    ...overrides,
  });
}
