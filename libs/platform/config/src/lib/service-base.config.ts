import {
  ArrayNotEmpty,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { inspect } from 'node:util';

import { EnvVariable } from './env-variable.decorator';
import type { KafkaConnectionConfig, KafkaSaslMechanism } from './kafka-connection.config';
import { describeConfig } from './load-config';
import {
  IsKafkaClientKey,
  IsKafkaMinInsyncReplicas,
  IsKafkaPem,
  IsKafkaSaslCredential,
  IsKafkaSaslMechanism,
} from './kafka-connection.config';

export const RUNTIME_ENVIRONMENTS = ['development', 'test', 'production'] as const;
export type RuntimeEnvironment = (typeof RUNTIME_ENVIRONMENTS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/**
 * Server-side limits on every database session, so one stalled statement, lock wait or
 * forgotten transaction cannot hold locks (the relay's, an idempotency key's) for ever. The
 * database library applies them to pools built without a service config too.
 */
export const DATABASE_SESSION_TIMEOUT_DEFAULTS = {
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 10_000,
  idleInTransactionTimeoutMs: 30_000,
} as const;

/**
 * What every service needs: HTTP, PostgreSQL (one schema per service), Kafka, Redis and
 * token verification. Each service's class extends this and sets its own defaults.
 */
export abstract class ServiceConfigBase implements KafkaConnectionConfig {
  abstract readonly serviceName: string;

  /** A config logged whole (pino, JSON) or inspected shows its secrets masked. */
  toJSON(): Record<string, unknown> {
    return describeConfig(this);
  }

  [inspect.custom](): Record<string, unknown> {
    return describeConfig(this);
  }

  @EnvVariable({ name: 'NODE_ENV', description: 'development, test or production' })
  @IsIn(RUNTIME_ENVIRONMENTS)
  environment: RuntimeEnvironment = 'development';

  @EnvVariable({ name: 'LOG_LEVEL', description: 'fatal, error, warn, info, debug or trace' })
  @IsIn(LOG_LEVELS)
  logLevel: LogLevel = 'info';

  @EnvVariable({ name: 'HOST', description: 'Interface the HTTP server listens on' })
  @IsString()
  host = '127.0.0.1';

  @EnvVariable({ name: 'PORT', description: 'HTTP port' })
  @IsInt()
  @Min(1)
  @Max(65535)
  port!: number;

  @EnvVariable({
    name: 'DATABASE_URL',
    description: 'PostgreSQL connection URL',
    secret: true,
    example: 'postgres://implant_trace_service@127.0.0.1:5432/implant_trace',
  })
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false })
  databaseUrl = 'postgres://postgres@127.0.0.1:5432/implant_trace';

  @EnvVariable({
    name: 'DATABASE_MIGRATION_URL',
    description:
      'PostgreSQL URL of the schema owner, used only to apply migrations at start-up (defaults to DATABASE_URL; roles: tools/infra/database-roles.sql)',
    secret: true,
    example: 'postgres://postgres@127.0.0.1:5432/implant_trace',
  })
  @IsOptional()
  @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false })
  databaseMigrationUrl?: string;

  @EnvVariable({ name: 'DATABASE_SCHEMA', description: 'The schema this service owns' })
  @Matches(/^[a-z][a-z0-9_]{0,62}$/, {
    message: 'DATABASE_SCHEMA must be a lower-case SQL identifier',
  })
  databaseSchema!: string;

  @EnvVariable({ name: 'DATABASE_POOL_SIZE', description: 'PostgreSQL connections per process' })
  @IsInt()
  @Min(1)
  @Max(100)
  databasePoolSize: number = 10;

  @EnvVariable({
    name: 'DATABASE_STATEMENT_TIMEOUT_MS',
    description: 'PostgreSQL statement_timeout of every pooled session (0: none)',
  })
  @IsInt()
  @Min(0)
  databaseStatementTimeoutMs: number = DATABASE_SESSION_TIMEOUT_DEFAULTS.statementTimeoutMs;

  @EnvVariable({
    name: 'DATABASE_LOCK_TIMEOUT_MS',
    description: 'PostgreSQL lock_timeout of every pooled session (0: none)',
  })
  @IsInt()
  @Min(0)
  databaseLockTimeoutMs: number = DATABASE_SESSION_TIMEOUT_DEFAULTS.lockTimeoutMs;

  @EnvVariable({
    name: 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS',
    description:
      'PostgreSQL idle_in_transaction_session_timeout: a transaction left idle longer is ended (0: none)',
  })
  @IsInt()
  @Min(0)
  databaseIdleInTransactionTimeoutMs: number =
    DATABASE_SESSION_TIMEOUT_DEFAULTS.idleInTransactionTimeoutMs;

  @EnvVariable({ name: 'KAFKA_BROKERS', description: 'Comma-separated host:port bootstrap list' })
  @ArrayNotEmpty()
  @Matches(HOST_PORT, { each: true, message: 'KAFKA_BROKERS entries must be host:port' })
  kafkaBrokers: string[] = ['127.0.0.1:9092'];

  @EnvVariable({
    name: 'KAFKA_CLIENT_ID',
    description: 'Kafka client id (defaults to the service name)',
  })
  @IsOptional()
  @IsString()
  kafkaClientId?: string;

  @EnvVariable({
    name: 'KAFKA_CONSUMER_GROUP',
    description:
      'Consumer group of the service’s consumers (defaults to the service name; two deployments on one cluster need two)',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,200}$/, {
    message: 'KAFKA_CONSUMER_GROUP may hold only letters, digits, ".", "_" and "-"',
  })
  kafkaConsumerGroup?: string;

  @EnvVariable({ name: 'KAFKA_SSL', description: 'Connect to the brokers over TLS' })
  @IsBoolean()
  kafkaSsl: boolean = false;

  @EnvVariable({
    name: 'KAFKA_SSL_CA',
    description:
      "CA the brokers' certificates chain to: PEM text or a PEM file path (default: Node's CAs)",
    example: '/run/secrets/kafka-ca.pem',
  })
  @IsKafkaPem('certificate')
  kafkaSslCa?: string;

  @EnvVariable({
    name: 'KAFKA_SSL_CERT',
    description:
      'Client certificate for mutual TLS: PEM text or a PEM file path (with KAFKA_SSL_KEY)',
    example: '/run/secrets/kafka-client.pem',
  })
  @IsKafkaPem('certificate')
  kafkaSslCert?: string;

  @EnvVariable({
    name: 'KAFKA_SSL_KEY',
    description: 'Unencrypted private key of KAFKA_SSL_CERT: PEM text or a PEM file path',
    secret: true,
    example: '/run/secrets/kafka-client-key.pem',
  })
  @IsKafkaPem('private key')
  @IsKafkaClientKey()
  kafkaSslKey?: string;

  @EnvVariable({
    name: 'KAFKA_SASL_MECHANISM',
    description: 'SCRAM-SHA-256 or SCRAM-SHA-512 (unset: no SASL); needs KAFKA_SSL=true',
    example: 'SCRAM-SHA-512',
  })
  @IsKafkaSaslMechanism()
  kafkaSaslMechanism?: KafkaSaslMechanism;

  @EnvVariable({
    name: 'KAFKA_SASL_USERNAME',
    description: 'SCRAM user (required with KAFKA_SASL_MECHANISM)',
  })
  @IsKafkaSaslCredential()
  kafkaSaslUsername?: string;

  @EnvVariable({
    name: 'KAFKA_SASL_PASSWORD',
    description: 'SCRAM password (required with KAFKA_SASL_MECHANISM)',
    secret: true,
  })
  @IsKafkaSaslCredential()
  kafkaSaslPassword?: string;

  @EnvVariable({
    name: 'KAFKA_REPLICATION_FACTOR',
    description:
      "Replicas of each topic the service creates (unset: the cluster's default.replication.factor; 1 on the single dev node, 3 on a cluster)",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  kafkaReplicationFactor?: number;

  @EnvVariable({
    name: 'KAFKA_MIN_INSYNC_REPLICAS',
    description:
      "min.insync.replicas of those topics: replicas that must have a write before it is acknowledged (unset: the cluster's setting; 2 with 3 replicas)",
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @IsKafkaMinInsyncReplicas()
  kafkaMinInsyncReplicas?: number;

  @EnvVariable({
    name: 'REDIS_URL',
    description: 'Redis connection URL',
    secret: true,
    example: 'redis://127.0.0.1:6379',
  })
  @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false })
  redisUrl = 'redis://127.0.0.1:6379';

  @EnvVariable({
    name: 'REDIS_COMMAND_TIMEOUT_MS',
    description:
      'Longest wait for a Redis answer before the call fails (requests never hang on Redis)',
  })
  @IsInt()
  @Min(10)
  @Max(10_000)
  redisCommandTimeoutMs: number = 250;

  @EnvVariable({
    name: 'AUTH_JWT_SECRET',
    description: 'HS256 token secret (development and tests only; at least 32 characters)',
    secret: true,
    example: '<generated by npm start into .cache/dev.env>',
  })
  @ValidateIf((config: ServiceConfigBase) => config.authJwksUrl === undefined)
  @IsString({ message: 'AUTH_JWT_SECRET is required when AUTH_JWKS_URL is not set' })
  @MinLength(32)
  authJwtSecret?: string;

  @EnvVariable({
    name: 'AUTH_JWKS_URL',
    description: 'JWKS URL for RS256/ES256 tokens (required in production)',
    example: 'https://login.example.nhs.uk/.well-known/jwks.json',
  })
  @ValidateIf(
    (config: ServiceConfigBase) =>
      (config.environment === 'production' && !config.authHs256InProduction) ||
      config.authJwksUrl !== undefined,
  )
  @IsUrl(
    { protocols: ['https'], require_tld: false },
    { message: 'AUTH_JWKS_URL must be an https URL (required in production)' },
  )
  authJwksUrl?: string;

  @EnvVariable({
    name: 'AUTH_HS256_IN_PRODUCTION',
    description:
      'Verify HS256 tokens with AUTH_JWT_SECRET in production instead of a JWKS (explicit opt-in)',
  })
  @IsBoolean()
  authHs256InProduction: boolean = false;

  @EnvVariable({ name: 'AUTH_ISSUER', description: 'Expected token issuer (iss)' })
  @IsString()
  authIssuer = 'implant-trace-dev';

  @EnvVariable({ name: 'AUTH_AUDIENCE', description: 'Expected token audience (aud)' })
  @IsString()
  authAudience = 'implant-trace';

  @EnvVariable({
    name: 'HTTP_BODY_LIMIT_BYTES',
    description: 'Largest JSON body accepted (413 above)',
  })
  @IsInt()
  @Min(1024)
  httpBodyLimitBytes: number = 1_048_576;

  @EnvVariable({
    name: 'HTTP_RATE_LIMIT_PER_ADDRESS',
    description:
      'Requests per minute from one client address, counted before the token is checked (hospitals share NAT addresses: keep it generous)',
  })
  @IsInt()
  @Min(1)
  httpRateLimitPerAddress: number = 3_000;

  @EnvVariable({
    name: 'HTTP_RATE_LIMIT_PER_TOKEN',
    description:
      'Requests per minute with one token (its subject), counted once the token is verified, shared by every instance',
  })
  @IsInt()
  @Min(1)
  httpRateLimitPerToken: number = 600;

  @EnvVariable({
    name: 'HTTP_TRUSTED_PROXY_HOPS',
    description:
      'Reverse proxies in front of the service whose X-Forwarded-For is believed (0: the socket address is the client)',
  })
  @IsInt()
  @Min(0)
  @Max(10)
  httpTrustedProxyHops: number = 0;

  @EnvVariable({
    name: 'AUDIT_REQUIRED',
    description: 'Refuse patient-data requests when the audit trail cannot be written',
  })
  @IsBoolean()
  auditRequired: boolean = true;

  @EnvVariable({
    name: 'IDEMPOTENCY_LEASE_SECONDS',
    description: 'How long an in-flight Idempotency-Key is held before a retry may take it over',
  })
  @IsInt()
  @Min(1)
  idempotencyLeaseSeconds: number = 60;

  @EnvVariable({
    name: 'IDEMPOTENCY_RETENTION_SECONDS',
    description: 'How long an answer is kept for replay under its Idempotency-Key',
  })
  @IsInt()
  @Min(1)
  idempotencyRetentionSeconds: number = 86_400;

  @EnvVariable({
    name: 'IDEMPOTENCY_PURGE_INTERVAL_SECONDS',
    description: 'How often keys past their retention are purged',
  })
  @IsInt()
  @Min(1)
  idempotencyPurgeIntervalSeconds: number = 300;

  @EnvVariable({
    name: 'AUDIT_HEAD_EXPORT_INTERVAL_SECONDS',
    description: 'How often the audit chain head is exported (logged with its HMAC)',
  })
  @IsInt()
  @Min(1)
  auditHeadExportIntervalSeconds: number = 300;

  @EnvVariable({
    name: 'AUDIT_HEAD_HMAC_KEY',
    description:
      'Key of the HMAC on exported audit chain heads (32+ characters; without one the exports are unsigned)',
    secret: true,
    example: '<openssl rand -hex 32>',
  })
  @IsOptional()
  @IsString()
  @MinLength(32)
  auditHeadHmacKey?: string;
}
