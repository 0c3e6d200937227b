export { startSecureTestBroker, type SecureTestBroker } from './lib/secure-test-broker.util';
export { startOwnTestBroker } from './lib/own-test-broker.util';
export { testInfrastructure } from './lib/test-infrastructure.util';
export { ProbeServiceConfig } from './lib/probe-service.config';
export { testServiceConfig } from './lib/test-service-config.util';
export { uniqueName } from './lib/unique-name.util';
export { SERVICE_LOGIN_ROLE, serviceRoleDatabaseUrl } from './lib/service-role.util';
export { waitFor, type WaitForOptions } from './lib/wait-for.util';
export { startOwnRedisServer, type OwnRedisServer } from './lib/redis-server.util';
