import type {
  KafkaSaslSettings,
  KafkaTlsSettings,
  KafkaTopicReplication,
} from '@implant-trace/platform-config';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';

import { dropKafkajsTimerWarning } from '@implant-trace/platform-observability';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** kafkajs's own logs are noisy and unstructured; off unless asked for. */
  verbose?: boolean;
  /** TLS towards the brokers; absent: plaintext. */
  tls?: KafkaTlsSettings;
  /** SASL authentication (over TLS: the config refuses it without); absent: none. */
  sasl?: KafkaSaslSettings;
  /** How the topics this connection provisions are replicated; absent: the cluster's default. */
  replication?: KafkaTopicReplication;
}

/**
 * Node verifies the brokers' certificates and host names by default; nothing here turns that
 * off, and no variable can. Without a CA, Node's own trusted CAs apply.
 */
function tlsOptions(tls: KafkaTlsSettings): ConnectionOptions {
  const options: ConnectionOptions = {};
  if (tls.ca !== undefined) options.ca = tls.ca;
  if (tls.cert !== undefined) options.cert = tls.cert;
  if (tls.key !== undefined) options.key = tls.key;
  return options;
}

function saslOptions(sasl: KafkaSaslSettings): SASLOptions {
  const mechanism = sasl.mechanism === 'SCRAM-SHA-256' ? 'scram-sha-256' : 'scram-sha-512';
  return { mechanism, username: sasl.username, password: sasl.password };
}

export function createKafkaClient(options: KafkaClientOptions): Kafka {
  dropKafkajsTimerWarning();
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: options.verbose ? KafkaLogLevel.INFO : KafkaLogLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 8, maxRetryTime: 5_000 },
    connectionTimeout: 3_000,
  };
  if (options.tls) config.ssl = tlsOptions(options.tls);
  if (options.sasl) config.sasl = saslOptions(options.sasl);
  return new Kafka(config);
}
