import { testInfrastructure } from './test-infrastructure.util';

/** The login role services connect as, defined in tools/infra/database-roles.sql. */
export const SERVICE_LOGIN_ROLE = 'implant_trace_service';

/** The test database as services reach it: as their least-privilege login role. */
export function serviceRoleDatabaseUrl(): string {
  const url = new URL(testInfrastructure().databaseUrl);
  url.username = SERVICE_LOGIN_ROLE;
  url.password = '';
  return url.toString();
}
