import {
  ArrayNotEmpty,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Min,
} from 'class-validator';
import { inspect } from 'node:util';

import { EnvVariable } from './env-variable.decorator';
import type { KafkaConnectionConfig, KafkaSaslMechanism } from './kafka-connection.config';
import {
  IsKafkaClientKey,
  IsKafkaMinInsyncReplicas,
  IsKafkaPem,
  IsKafkaSaslCredential,
  IsKafkaSaslMechanism,
} from './kafka-connection.config';
import { describeConfig } from './load-config';

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/**
 * The KAFKA_* variables of anything that reaches the cluster: every service
 * (`ServiceConfigBase`) and the operators' tools, so a tool connects as the services do (TLS,
 * SCRAM) and is refused the same misconfigurations.
 */
export class KafkaClientConfig implements KafkaConnectionConfig {
  /** A config logged whole (pino, JSON) or inspected shows its secrets masked. */
  toJSON(): Record<string, unknown> {
    return describeConfig(this);
  }

  [inspect.custom](): Record<string, unknown> {
    return describeConfig(this);
  }

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
}
