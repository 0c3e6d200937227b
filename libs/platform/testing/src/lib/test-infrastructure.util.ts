import { loadConfig, TestInfrastructureConfig } from '@implant-trace/platform-config';

let cached: TestInfrastructureConfig | undefined;

/** The real servers tests run against (started by `npm run infra:up`). */
export function testInfrastructure(): TestInfrastructureConfig {
  cached ??= loadConfig(TestInfrastructureConfig);
  return cached;
}

/** The login role services connect as, defined in tools/infra/database-roles.sql. */
export const SERVICE_LOGIN_ROLE = 'implant_trace_service';

/** The test database as services reach it: as their least-privilege login role. */
export function serviceRoleDatabaseUrl(): string {
  const url = new URL(testInfrastructure().databaseUrl);
  url.username = SERVICE_LOGIN_ROLE;
  url.password = '';
  return url.toString();
}
