import type { ValidationArguments } from 'class-validator';
import { ValidateBy } from 'class-validator';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const KAFKA_SASL_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/**
 * How a process reaches the Kafka cluster: bootstrap brokers, TLS and SASL. Every service's
 * config carries it (`ServiceConfigBase`); the messaging library turns it into its client.
 */
export interface KafkaConnectionConfig {
  kafkaBrokers: string[];
  kafkaClientId?: string;
  kafkaSsl: boolean;
  /** PEM text or the path of a PEM file, as for the two below. */
  kafkaSslCa?: string;
  kafkaSslCert?: string;
  kafkaSslKey?: string;
  kafkaSaslMechanism?: KafkaSaslMechanism;
  kafkaSaslUsername?: string;
  kafkaSaslPassword?: string;
  /** Replicas of each topic a service creates; absent: the cluster's default.replication.factor. */
  kafkaReplicationFactor?: number;
  /** Its min.insync.replicas; absent: the cluster's own setting. */
  kafkaMinInsyncReplicas?: number;
}

/** PEM texts, read from the files the variables name. */
export interface KafkaTlsSettings {
  ca?: string;
  cert?: string;
  key?: string;
}

export interface KafkaSaslSettings {
  mechanism: KafkaSaslMechanism;
  username: string;
  password: string;
}

/** How the topics a service creates are replicated; each absent: the cluster's default. */
export interface KafkaTopicReplication {
  factor?: number;
  minInsyncReplicas?: number;
}

export interface KafkaConnectionSettings {
  brokers: string[];
  clientId?: string;
  /** Absent: plaintext. */
  tls?: KafkaTlsSettings;
  /** Absent: no SASL authentication. */
  sasl?: KafkaSaslSettings;
  /** Absent: topics take the cluster's defaults. */
  replication?: KafkaTopicReplication;
}

const PEM_BEGIN = '-----BEGIN ';

/** A variable holds either the PEM text itself (a mounted secret's value) or a file path. */
function pemText(valueOrPath: string): string {
  return valueOrPath.includes(PEM_BEGIN) ? valueOrPath : readFileSync(valueOrPath, 'utf8');
}

type PemKind = 'certificate' | 'private key';

function parsesAs(kind: PemKind, valueOrPath: string): boolean {
  try {
    const text = pemText(valueOrPath);
    if (kind === 'certificate') new X509Certificate(text);
    else createPrivateKey(text);
    return true;
  } catch {
    return false;
  }
}

function isSet(value: unknown): boolean {
  return value !== undefined;
}

/**
 * One rule over the whole Kafka fragment: `problem` returns what is wrong (with `$property`
 * for the variable, never its value: the key and password are secrets) or undefined.
 */
function KafkaRule(
  name: string,
  problem: (value: unknown, config: KafkaConnectionConfig) => string | undefined,
): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        problem(value, args?.object as KafkaConnectionConfig) === undefined,
      defaultMessage: (args?: ValidationArguments) =>
        problem(args?.value, args?.object as KafkaConnectionConfig) ?? '',
    },
  });
}

/** PEM text or the path of a readable PEM file holding one `kind`, and only with KAFKA_SSL. */
export function IsKafkaPem(kind: PemKind): PropertyDecorator {
  return KafkaRule(`isKafkaPem-${kind}`, (value, config) => {
    if (!isSet(value)) return undefined;
    if (!config.kafkaSsl) return '$property is set but KAFKA_SSL is not true';
    if (typeof value !== 'string' || !parsesAs(kind, value)) {
      return `$property must be PEM text or the path of a readable PEM file holding a ${kind}${
        kind === 'private key' ? ' (unencrypted)' : ''
      }`;
    }
    return undefined;
  });
}

/** A client certificate and its key come together, and the key must be the certificate's. */
export function IsKafkaClientKey(): PropertyDecorator {
  return KafkaRule('isKafkaClientKey', (value, config) => {
    if (isSet(value) !== isSet(config.kafkaSslCert)) {
      return '$property and KAFKA_SSL_CERT are set together or not at all';
    }
    if (typeof value !== 'string' || typeof config.kafkaSslCert !== 'string') return undefined;
    if (!parsesAs('private key', value) || !parsesAs('certificate', config.kafkaSslCert)) {
      return undefined; // reported by IsKafkaPem on each variable
    }
    const certificate = new X509Certificate(pemText(config.kafkaSslCert));
    return certificate.checkPrivateKey(createPrivateKey(pemText(value)))
      ? undefined
      : '$property is not the private key of KAFKA_SSL_CERT';
  });
}

/** SCRAM sends credentials and patient data never travel in clear: SASL only over TLS. */
export function IsKafkaSaslMechanism(): PropertyDecorator {
  return KafkaRule('isKafkaSaslMechanism', (value, config) => {
    if (!isSet(value)) return undefined;
    if (!KAFKA_SASL_MECHANISMS.includes(value as KafkaSaslMechanism)) {
      return `$property must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}`;
    }
    return config.kafkaSsl ? undefined : '$property needs KAFKA_SSL=true';
  });
}

/** Username and password: required with a SASL mechanism, refused without one. */
export function IsKafkaSaslCredential(): PropertyDecorator {
  return KafkaRule('isKafkaSaslCredential', (value, config) => {
    if (!isSet(config.kafkaSaslMechanism)) {
      return isSet(value) ? '$property is set but KAFKA_SASL_MECHANISM is not' : undefined;
    }
    return typeof value === 'string' && value !== ''
      ? undefined
      : '$property is required with KAFKA_SASL_MECHANISM';
  });
}

/**
 * A write needs min.insync.replicas replicas in sync: more than the topic has and no write
 * would ever be acknowledged.
 */
export function IsKafkaMinInsyncReplicas(): PropertyDecorator {
  return KafkaRule('isKafkaMinInsyncReplicas', (value, config) => {
    if (!isSet(value) || !isSet(config.kafkaReplicationFactor)) return undefined;
    return Number(value) <= Number(config.kafkaReplicationFactor)
      ? undefined
      : '$property must not exceed KAFKA_REPLICATION_FACTOR (no write could be acknowledged)';
  });
}

/**
 * The settings a Kafka client is built from, PEM files read. Call it on a validated config:
 * validation has already proven every file readable and every PEM well-formed.
 */
export function kafkaConnectionSettings(config: KafkaConnectionConfig): KafkaConnectionSettings {
  const settings: KafkaConnectionSettings = { brokers: config.kafkaBrokers };
  if (config.kafkaClientId !== undefined) settings.clientId = config.kafkaClientId;
  if (config.kafkaSsl) {
    const tls: KafkaTlsSettings = {};
    if (config.kafkaSslCa !== undefined) tls.ca = pemText(config.kafkaSslCa);
    if (config.kafkaSslCert !== undefined) tls.cert = pemText(config.kafkaSslCert);
    if (config.kafkaSslKey !== undefined) tls.key = pemText(config.kafkaSslKey);
    settings.tls = tls;
  }
  if (
    config.kafkaSaslMechanism !== undefined &&
    config.kafkaSaslUsername !== undefined &&
    config.kafkaSaslPassword !== undefined
  ) {
    settings.sasl = {
      mechanism: config.kafkaSaslMechanism,
      username: config.kafkaSaslUsername,
      password: config.kafkaSaslPassword,
    };
  }
  const replication: KafkaTopicReplication = {};
  if (config.kafkaReplicationFactor !== undefined) {
    replication.factor = config.kafkaReplicationFactor;
  }
  if (config.kafkaMinInsyncReplicas !== undefined) {
    replication.minInsyncReplicas = config.kafkaMinInsyncReplicas;
  }
  if (Object.keys(replication).length > 0) settings.replication = replication;
  return settings;
}
