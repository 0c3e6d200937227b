import type { KafkaConfig } from 'kafkajs';
import { Kafka, logLevel as KafkaLogLevel } from 'kafkajs';

import { dropKafkajsTimerWarning } from '@implant-trace/platform-observability';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  /** kafkajs's own logs are noisy and unstructured; off unless asked for. */
  verbose?: boolean;
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
  return new Kafka(config);
}
