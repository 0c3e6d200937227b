import type { KafkaConnectionConfig, KafkaTopicReplication } from '@implant-trace/platform-config';
import { kafkaConnectionSettings } from '@implant-trace/platform-config';
import type { Admin, AdminConfig, Consumer, Kafka, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';

import type { KafkaClientOptions } from './kafka-client.factory';
import { createKafkaClient } from './kafka-client.factory';

export type MessagingConnectionOptions = KafkaClientOptions;

/**
 * The connection a service's config describes (brokers, TLS, SASL, KAFKA_CLIENT_ID falling
 * back to the service name), PEM files read.
 */
export function messagingConnectionOptions(
  config: KafkaConnectionConfig,
  defaultClientId: string,
): MessagingConnectionOptions {
  const { clientId = defaultClientId, ...settings } = kafkaConnectionSettings(config);
  return { ...settings, clientId };
}

/** The one place that creates kafkajs clients, with the settings our guarantees need. */
export class KafkaConnection {
  private readonly kafka: Kafka;
  /** The deployment's replication of the topics it creates (KAFKA_REPLICATION_FACTOR, ...). */
  readonly replication: KafkaTopicReplication;

  constructor(options: MessagingConnectionOptions) {
    this.kafka = createKafkaClient(options);
    this.replication = options.replication ?? {};
  }

  /** acks=all, idempotent, one request in flight: no duplicates or reordering on retry. */
  idempotentProducer(): Producer {
    return this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 5_000 },
    });
  }

  consumer(groupId: string): Consumer {
    return this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 100,
      retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
  }

  admin(options?: AdminConfig): Admin {
    return this.kafka.admin(options);
  }
}
