import type { TopicDefinition } from '@implant-trace/contracts';
import {
  ObservabilityModule,
  PlatformMetrics,
  ReadinessRegistry,
} from '@implant-trace/platform-observability';
import type {
  DynamicModule,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

import { KafkaConnection } from './broker/kafka-connection';
import type { EventConsumerOptions } from './consumer/event-consumer';
import { EventConsumer } from './consumer/event-consumer';
import { EventPublisher } from './outbox/event-publisher';
import { OutboxMetrics } from './outbox/outbox-metrics';
import type { OutboxRelayOptions } from './outbox/outbox-relay';
import { OutboxRelay } from './outbox/outbox-relay';
import { OutboxRepository } from './outbox/outbox.repository';
import { provisionTopics } from './topics/topic-provisioner';

export interface MessagingModuleOptions {
  serviceName: string;
  brokers: string[];
  /** Topics this service publishes to; created at start-up with their dead-letter topics. */
  ownedTopics: readonly TopicDefinition[];
  /** Run an outbox relay in this process (the default); several instances may run. */
  runRelay?: boolean;
  /** The relay's lease and how often a row may fail on its own before it is parked. */
  relay?: Pick<OutboxRelayOptions, 'leaseMs' | 'maxSendFailures'>;
}

const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

/** Creates consumers whose lifecycle (start after boot, stop on shutdown) the module owns. */
@Injectable()
export class EventConsumerFactory implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly consumers: EventConsumer[] = [];
  private readonly logger = new Logger('EventConsumer');

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(KafkaConnection) private readonly kafka: KafkaConnection,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  create(options: EventConsumerOptions): EventConsumer {
    const metrics = this.moduleRef.get(PlatformMetrics, { strict: false });
    const consumer = new EventConsumer(this.dataSource, this.kafka, {
      onError: (error) => this.logger.warn(`retrying after ${String(error)}`),
      onLag: (topic, partition, lag) =>
        metrics.setConsumerLag(options.groupId, topic, partition, lag),
      ...options,
    });
    this.consumers.push(consumer);
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
  private readonly admin;
  private readonly logger = new Logger('OutboxRelay');

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(KafkaConnection) private readonly kafka: KafkaConnection,
    @Inject(PlatformMetrics) private readonly metrics: PlatformMetrics,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {
    this.admin = kafka.admin();
  }

  async onModuleInit(): Promise<void> {
    await provisionTopics(this.kafka, this.options.ownedTopics);
    this.moduleRef.get(ReadinessRegistry, { strict: false }).register('broker', async () => {
      await this.admin.connect();
      await this.admin.describeCluster();
    });
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
    await this.admin.disconnect();
  }
}

/**
 * Wires the outbox publisher, the relay and consumers into a service. Needs the service's
 * `DataSource` (DatabaseModule) with `MESSAGING_MIGRATIONS` among its migrations.
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
          useValue: new KafkaConnection({
            brokers: options.brokers,
            clientId: options.serviceName,
          }),
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
        EventConsumerFactory,
        MessagingLifecycle,
      ],
      exports: [EventPublisher, EventConsumerFactory, KafkaConnection],
    };
  }
}
