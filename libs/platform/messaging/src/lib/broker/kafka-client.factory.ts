import type { KafkaSaslSettings, KafkaTlsSettings } from '@implant-trace/platform-config';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';

let timerWarningFiltered = false;

/**
 * kafkajs computes some timer delays that go negative on Node 24, which then prints a
 * TimeoutNegativeWarning (the timer fires at once, as kafkajs intends). Drop exactly that
 * warning so it does not flood the logs; every other warning still goes through.
 */
function filterKafkajsTimerWarning(): void {
  if (timerWarningFiltered) return;
  timerWarningFiltered = true;
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const name = typeof warning === 'string' ? rest[0] : warning.name;
    const type =
      typeof name === 'object' && name !== null ? (name as { type?: string }).type : name;
    if (type === 'TimeoutNegativeWarning') return;
    (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** kafkajs's own logs are noisy and unstructured; off unless asked for. */
  verbose?: boolean;
  /** TLS towards the brokers; absent: plaintext. */
  tls?: KafkaTlsSettings;
  /** SASL authentication (over TLS: the config refuses it without); absent: none. */
  sasl?: KafkaSaslSettings;
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
  filterKafkajsTimerWarning();
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
