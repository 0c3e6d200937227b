export {
  EnvVariable,
  envVariablesOf,
  type EnvVariableDefinition,
  type EnvVariableOptions,
} from './lib/env-variable.decorator';
export {
  ConfigValidationError,
  describeConfig,
  loadConfig,
  type ConfigProblem,
  type Environment,
} from './lib/load-config';
export { renderEnvExample } from './lib/env-example.util';
export { KafkaClientConfig } from './lib/kafka-client.config';
export {
  KAFKA_SASL_MECHANISMS,
  kafkaConnectionSettings,
  type KafkaConnectionConfig,
  type KafkaConnectionSettings,
  type KafkaSaslMechanism,
  type KafkaSaslSettings,
  type KafkaTlsSettings,
  type KafkaTopicReplication,
} from './lib/kafka-connection.config';
export { assertSupportedRuntime, SUPPORTED_NODE_MAJOR } from './lib/runtime.util';
export {
  DATABASE_SESSION_TIMEOUT_DEFAULTS,
  LOG_LEVELS,
  RUNTIME_ENVIRONMENTS,
  ServiceConfigBase,
  type LogLevel,
  type RuntimeEnvironment,
} from './lib/service-base.config';
export { TestInfrastructureConfig } from './lib/test-infrastructure.config';
