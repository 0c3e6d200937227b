import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';

import { createKafkaClient } from './kafka-client.factory';

export interface MessagingConnectionOptions {
  brokers: string[];
  clientId: string;
  verbose?: boolean;
}

/** The one place that creates kafkajs clients, with the settings our guarantees need. */
export class KafkaConnection {
  private readonly kafka: Kafka;

  constructor(options: MessagingConnectionOptions) {
    this.kafka = createKafkaClient(options);
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

  admin(): Admin {
    return this.kafka.admin();
  }
}
