export { startSecureTestBroker, type SecureTestBroker } from './lib/secure-test-broker.util';
export { startOwnTestBroker, type OwnTestBroker } from './lib/own-test-broker.util';
export {
  startOwnTestCluster,
  type ClusterNode,
  type OwnTestCluster,
} from './lib/own-test-cluster.util';
export { testInfrastructure } from './lib/test-infrastructure.util';
export { ProbeServiceConfig } from './lib/probe-service.config';
export { testServiceConfig } from './lib/test-service-config.util';
export { uniqueName } from './lib/unique-name.util';
export { SERVICE_LOGIN_ROLE, serviceRoleDatabaseUrl } from './lib/service-role.util';
export { waitFor, type WaitForOptions } from './lib/wait-for.util';
export { startOwnRedisServer, type OwnRedisServer } from './lib/redis-server.util';
export { HospitalEndpoint, type Notice } from './lib/hospital-endpoint.util';
export { dropTestSchema, freshGtin, freshOds } from './lib/fresh-test-values.util';
