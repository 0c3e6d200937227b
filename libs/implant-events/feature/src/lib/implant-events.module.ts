import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Module } from '@nestjs/common';

import { DEVICES_TOPIC, IMPLANTS_TOPIC, RECALLS_TOPIC } from '@implant-trace/contracts';
import { systemClock } from '@implant-trace/domain-kernel';
import { recallCriteriaEvaluation } from '@implant-trace/implant-events-domain';
import { connectRedis, type RedisConnection } from '@implant-trace/platform-cache';
import {
  CatchUpTracker,
  InboxTransport,
  KafkaConnection,
  MESSAGING_MIGRATIONS,
  MessagingModule,
} from '@implant-trace/platform-messaging';
import { ObservabilityModule, ReadinessRegistry } from '@implant-trace/platform-observability';

import { CatalogueDeviceEntity } from './catalogue-replica/catalogue-device.entity';
import { CatalogueIdentifierEntity } from './catalogue-replica/catalogue-identifier.entity';
import { CatalogueReplicaConsumer } from './catalogue-replica/catalogue-replica.consumer';
import { CatalogueReplicaRepository } from './catalogue-replica/catalogue-replica.repository';
import { CheckScanUseCase } from './check-scan/check-scan.use-case';
import {
  IMPLANT_EVENTS_CLOCK,
  IMPLANT_EVENTS_OPTIONS,
  IMPLANT_EVENTS_REDIS,
  type ImplantEventsOptions,
  RECALL_EVALUATION,
} from './implant-events.options';
import { ImplantStatusChanges1767225600310 } from './implant-lifecycle/implant-status.migration';
import { ImplantLifecycleUseCase } from './implant-lifecycle/implant-lifecycle.use-case';
import { ImplantsController } from './implants.controller';
import { ImplantEntity } from './record-implant/implant.entity';
import { CreateImplants1767225600300 } from './record-implant/implants.migration';
import { RecordImplantUseCase } from './record-implant/record-implant.use-case';
import { PatientImplantsUseCase } from './patient-implants/patient-implants.use-case';
import { PatientsController } from './patients.controller';
import { ReviewQueueController } from './review-queue.controller';
import { ReviewResolutions1767225600320 } from './review-queue/review-resolution.migration';
import { ReviewQueueUseCase } from './review-queue/review-queue.use-case';
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
  ImplantEntity,
];

/** The outbox and inbox first, then the scan check's replica and index, then the implants. */
export const IMPLANT_EVENTS_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  CreateScanIndexes1767225600200,
  CreateImplants1767225600300,
  ImplantStatusChanges1767225600310,
  ReviewResolutions1767225600320,
];

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(IMPLANT_EVENTS_REDIS) private readonly redis: RedisConnection) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.isOpen) await this.redis.close();
  }
}

/** The point-of-use scan check and the implant records it vouches for. */
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
          runRelay: options.runRelay ?? true,
          // The devices and recalls are consumed, not published: created here too (with their
          // dead-letter topics, where a malformed event goes) so a first start does not depend on
          // the publishers' start order. The implants topic is this service's own.
          ownedTopics: [DEVICES_TOPIC, RECALLS_TOPIC, IMPLANTS_TOPIC],
          consumerGroupId: options.consumerGroupId ?? options.serviceName,
        }),
      ],
      controllers: [
        ScansController,
        ImplantsController,
        PatientsController,
        ReviewQueueController,
        CatalogueReplicaConsumer,
        RecallIndexConsumer,
      ],
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
        {
          // Until the replica and the index hold everything published while the service was
          // down, a scan cannot be OK.
          provide: CatchUpTracker,
          inject: [KafkaConnection, InboxTransport, ReadinessRegistry],
          useFactory: (
            kafka: KafkaConnection,
            transport: InboxTransport,
            readiness: ReadinessRegistry,
          ) =>
            new CatchUpTracker(kafka, transport, readiness, {
              groupId: options.consumerGroupId ?? options.serviceName,
              topics: [
                { topic: DEVICES_TOPIC, what: 'the catalogue replica' },
                { topic: RECALLS_TOPIC, what: 'the recall index' },
              ],
              readinessName: 'scanIndex',
            }),
        },
        CheckScanUseCase,
        RecordImplantUseCase,
        ImplantLifecycleUseCase,
        PatientImplantsUseCase,
        ReviewQueueUseCase,
      ],
    };
  }
}
