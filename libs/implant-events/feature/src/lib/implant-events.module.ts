import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Module } from '@nestjs/common';

import { DEVICES_TOPIC, RECALLS_TOPIC } from '@implant-trace/contracts';
import { systemClock } from '@implant-trace/domain-kernel';
import { recallCriteriaEvaluation } from '@implant-trace/implant-events-domain';
import { connectRedis, type RedisConnection } from '@implant-trace/platform-cache';
import { MESSAGING_MIGRATIONS, MessagingModule } from '@implant-trace/platform-messaging';
import { ObservabilityModule } from '@implant-trace/platform-observability';

import { CatalogueDeviceEntity } from './catalogue-replica/catalogue-device.entity';
import { CatalogueIdentifierEntity } from './catalogue-replica/catalogue-identifier.entity';
import { CatalogueReplicaConsumer } from './catalogue-replica/catalogue-replica.consumer';
import { CatalogueReplicaRepository } from './catalogue-replica/catalogue-replica.repository';
import { CatchUpTracker } from './catch-up/catch-up.tracker';
import { CheckScanUseCase } from './check-scan/check-scan.use-case';
import {
  IMPLANT_EVENTS_CLOCK,
  IMPLANT_EVENTS_OPTIONS,
  IMPLANT_EVENTS_REDIS,
  type ImplantEventsOptions,
  RECALL_EVALUATION,
} from './implant-events.options';
import { RecallIndexCache } from './recall-index/recall-index.cache';
import { RecallIndexConsumer } from './recall-index/recall-index.consumer';
import { RecallIndexEntity } from './recall-index/recall-index.entity';
import { RecallIndexRepository } from './recall-index/recall-index.repository';
import { CreateScanIndexes1767225600200 } from './scan-indexes.migration';
import { ScansController } from './scans.controller';

export const IMPLANT_EVENTS_ENTITIES = [
  CatalogueDeviceEntity,
  CatalogueIdentifierEntity,
  RecallIndexEntity,
];

/** The outbox and inbox first, then the scan check's replica and index. */
export const IMPLANT_EVENTS_MIGRATIONS = [...MESSAGING_MIGRATIONS, CreateScanIndexes1767225600200];

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(IMPLANT_EVENTS_REDIS) private readonly redis: RedisConnection) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.isOpen) await this.redis.close();
  }
}

/** The point-of-use scan check, over its replica of the catalogue and its recall index. */
@Module({})
export class ImplantEventsModule {
  static forRoot(options: ImplantEventsOptions): DynamicModule {
    return {
      module: ImplantEventsModule,
      imports: [
        ObservabilityModule,
        MessagingModule.forRoot({
          serviceName: options.serviceName,
          kafka: options.kafka,
          // Consumed, not published: created here too (with their dead-letter topics, where a
          // malformed event goes) so a first start does not depend on the publishers' start order.
          ownedTopics: [DEVICES_TOPIC, RECALLS_TOPIC],
          consumerGroupId: options.consumerGroupId ?? options.serviceName,
        }),
      ],
      controllers: [ScansController, CatalogueReplicaConsumer, RecallIndexConsumer],
      providers: [
        { provide: IMPLANT_EVENTS_OPTIONS, useValue: options },
        { provide: IMPLANT_EVENTS_CLOCK, useValue: options.clock ?? systemClock },
        { provide: RECALL_EVALUATION, useValue: recallCriteriaEvaluation },
        {
          provide: IMPLANT_EVENTS_REDIS,
          useFactory: () =>
            connectRedis(options.redisUrl, {
              clientName: options.serviceName,
              commandTimeoutMs: options.redisCommandTimeoutMs,
            }),
        },
        RedisLifecycle,
        CatalogueReplicaRepository,
        RecallIndexRepository,
        RecallIndexCache,
        CatchUpTracker,
        CheckScanUseCase,
      ],
    };
  }
}
