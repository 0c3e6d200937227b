export { testInfrastructure } from './lib/test-infrastructure.util';
export { testServiceConfig } from './lib/test-service-config.util';
export { uniqueName } from './lib/unique-name.util';
export { SERVICE_LOGIN_ROLE, serviceRoleDatabaseUrl } from './lib/service-role.util';
export { waitFor, type WaitForOptions } from './lib/wait-for.util';
