import type { TopicDefinition } from '@implant-trace/contracts';
import type { KafkaConnectionConfig } from '@implant-trace/platform-config';
import {
  ObservabilityModule,
  PlatformMetrics,
  ReadinessRegistry,
  withinDeadline,
} from '@implant-trace/platform-observability';
import type {
  DynamicModule,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import { DataSource } from 'typeorm';

import { KafkaConnection, messagingConnectionOptions } from './broker/kafka-connection';
import { ConsumerMonitor } from './consumer/consumer-monitor';
import type { EventConsumerOptions } from './consumer/event-consumer';
import { EventConsumer } from './consumer/event-consumer';
import { EventPublisher } from './outbox/event-publisher';
import { OutboxMetrics } from './outbox/outbox-metrics';
import type { OutboxRelayOptions } from './outbox/outbox-relay';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxRepository } from './outbox/outbox.repository';
import { provisionTopics } from './topics/topic-provisioner';
import { InboxTransport } from './transport/inbox.transport';

/** How long one readiness question to the brokers is shared before it is abandoned. */
const BROKER_QUESTION_MS = 1_500;
export interface MessagingModuleOptions {
  serviceName: string;
  /** Brokers, TLS and SASL: the service's config, which carries the Kafka variables. */
  kafka: KafkaConnectionConfig;
  /** Topics this service publishes to; created at start-up with their dead-letter topics. */
  ownedTopics: readonly TopicDefinition[];
  /** Run an outbox relay in this process (the default); several instances may run. */
  runRelay?: boolean;
  /** Consumer group of the service's `@EventPattern` handlers (default: the service name). */
  consumerGroupId?: string;
  /**
   * Partitions the `@EventPattern` handlers apply in parallel (default 3). One, when effects
   * from different partitions lock the same rows until commit: parallel transactions would
   * only queue on those locks, and deadlock when they take them in different orders.
   */
  partitionsConsumedConcurrently?: number;
  /** The relay's lease and how often a row may fail on its own before it is parked. */
  relay?: Pick<OutboxRelayOptions, 'leaseMs' | 'maxSendFailures'>;
}

const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** Creates consumers that report retries, paused partitions and lag to metrics and health. */
@Injectable()
export class EventConsumerFactory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumers: EventConsumer[] = [];
  private readonly logger = new Logger('EventConsumer');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(KafkaConnection) private readonly kafka: KafkaConnection,
    @Inject(PlatformMetrics) private readonly metrics: PlatformMetrics,
    @Inject(ConsumerMonitor) private readonly monitor: ConsumerMonitor,
  ) {}

  /** A consumer the module starts after boot and stops on shutdown. */
  create(options: EventConsumerOptions): EventConsumer {
    const consumer = this.build(options);
    this.consumers.push(consumer);
    return consumer;
  }

  /** A consumer its caller starts and stops (the inbox transport does). */
  build(options: EventConsumerOptions): EventConsumer {
    const { groupId } = options;
    const consumer = new EventConsumer(this.dataSource, this.kafka, {
      onError: (error) => this.logger.warn(`${groupId} retrying after ${String(error)}`),
      onLag: (topic, partition, lag) => this.metrics.setConsumerLag(groupId, topic, partition, lag),
      onRetry: (topic, partition) => this.monitor.recordRetry(groupId, topic, partition),
      onConsumerReplaced: (error) => {
        this.logger.warn(`${groupId}: Kafka consumer replaced after ${String(error)}`);
        this.monitor.recordConsumerReplaced(groupId);
      },
      ...options,
    });
    this.monitor.watch(consumer);
    return consumer;
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const consumer of this.consumers) await consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    for (const consumer of this.consumers) await consumer.stop();
  }
}

@Injectable()
class MessagingLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private relay: OutboxRelay | undefined;
  private brokerProbe: Promise<void> | undefined;
  private readonly logger = new Logger('OutboxRelay');

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(KafkaConnection) private readonly kafka: KafkaConnection,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
    @Inject(PlatformMetrics) private readonly metrics: PlatformMetrics,
  ) {}

  async onModuleInit(): Promise<void> {
    await provisionTopics(this.kafka, this.options.ownedTopics);
    this.readiness.register('broker', () => this.askBroker());
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.runRelay === false) return;
    this.relay = new OutboxRelay(this.outbox, this.kafka, {
      ...this.options.relay,
      relayId: `${this.options.serviceName}-${randomUUID()}`,
      metrics: new OutboxMetrics(this.metrics.registry, this.outbox),
      onError: (error) => this.logger.warn(`outbox relay: ${String(error)}`),
    });
    await this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
    await this.brokerProbe?.catch(() => undefined);
  }

  /**
   * One question at a time, by a client of its own that retries nothing. A question that
   * outlives the readiness timeout is shared by the checks after it rather than piling more
   * requests onto one long-lived client (which, in the cluster fault suite, kept a service
   * unready for minutes after a node it knew was restarted), and no state kept from brokers
   * that were restarted can keep the service unready once they are back. A question is shared
   * for at most `BROKER_QUESTION_MS`, then abandoned: the next check asks afresh (perhaps of
   * another seed broker) instead of every check waiting on one question that hangs. In CI's
   * cluster fault suite a service's /health went unanswered for 120 s after a leader was
   * killed; each answer now comes within the readiness timeout and names the broker check.
   */
  private askBroker(): Promise<void> {
    this.brokerProbe ??= this.askBrokerOnce().finally(() => {
      this.brokerProbe = undefined;
    });
    return this.brokerProbe;
  }

  private async askBrokerOnce(): Promise<void> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    const question = admin.connect().then(() => admin.describeCluster());
    try {
      await withinDeadline(
        question,
        BROKER_QUESTION_MS,
        () => new Error(`the brokers did not answer within ${BROKER_QUESTION_MS} ms`),
      );
    } finally {
      // Not awaited: a connection that hangs may not close either.
      void admin.disconnect().catch(() => undefined);
    }
  }
}

/**
 * Wires the outbox publisher, the relay and consumers into a service. Needs the service's
 * `DataSource` (DatabaseModule) with `MESSAGING_MIGRATIONS` among its migrations. The
 * service's `@EventPattern` handlers run over {@link InboxTransport}, which the service app
 * connects (`connectInboxTransport`).
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [ObservabilityModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: KafkaConnection,
          useValue: new KafkaConnection(
            messagingConnectionOptions(options.kafka, options.serviceName),
          ),
        },
        {
          provide: OutboxRepository,
          useFactory: (dataSource: DataSource) => new OutboxRepository(dataSource),
          inject: [DataSource],
        },
        {
          provide: EventPublisher,
          useFactory: (outbox: OutboxRepository) => new EventPublisher(options.serviceName, outbox),
          inject: [OutboxRepository],
        },
        {
          provide: ConsumerMonitor,
          inject: [PlatformMetrics, ReadinessRegistry],
          useFactory: (metrics: PlatformMetrics, readiness: ReadinessRegistry) =>
            new ConsumerMonitor(metrics, readiness),
        },
        EventConsumerFactory,
        {
          provide: InboxTransport,
          inject: [EventConsumerFactory],
          useFactory: (consumers: EventConsumerFactory) =>
            new InboxTransport((consumerOptions) => consumers.build(consumerOptions), {
              groupId: options.consumerGroupId ?? options.serviceName,
              partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
            }),
        },
        MessagingLifecycle,
      ],
      exports: [EventPublisher, EventConsumerFactory, InboxTransport, KafkaConnection],
    };
  }
}
