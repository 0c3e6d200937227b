import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';

import {
  ACKNOWLEDGEMENTS_TOPIC,
  DEVICES_TOPIC,
  IMPLANTS_TOPIC,
  MATCHES_TOPIC,
  RECALLS_TOPIC,
} from '@implant-trace/contracts';
import { systemClock } from '@implant-trace/domain-kernel';
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
import { CatalogueRecordIdentifierEntity } from './catalogue-replica/catalogue-record-identifier.entity';
import { CatalogueRecordIdentifiers1767225600420 } from './catalogue-replica/record-identifiers.migration';
import { CoveringActiveImplants1767225600430 } from './implant-projection/covering-active-implants.migration';
import { CatalogueReplicaConsumer } from './catalogue-replica/catalogue-replica.consumer';
import { CatalogueReplicaRepository } from './catalogue-replica/catalogue-replica.repository';
import { ImplantProjectionConsumer } from './implant-projection/implant-projection.consumer';
import { ImplantProjectionRepository } from './implant-projection/implant-projection.repository';
import { ProjectedImplantEntity } from './implant-projection/projected-implant.entity';
import { MatchEntity } from './matching/match.entity';
import { MatchLedgerRepository } from './matching/match-ledger.repository';
import { RecallMatcher } from './matching/recall-matcher';
import { CreateRecallMatching1767225600400 } from './recall-matching.migration';
import {
  RECALL_MATCHING_CLOCK,
  RECALL_MATCHING_OPTIONS,
  type RecallMatchingOptions,
} from './recall-matching.options';
import { RecallChangesUseCase } from './recalls/recall-changes.use-case';
import { RecallEntity } from './recalls/recall.entity';
import { RecallQueryUseCase } from './recalls/recall-query.use-case';
import { RecallsRepository } from './recalls/recalls.repository';
import { RecallsController } from './recalls.controller';
import { RecallScopeUseCase } from './recall-scope/recall-scope.use-case';
import { FollowUpEntity } from './hospital-matches/follow-up.entity';
import { HospitalMatchesUseCase } from './hospital-matches/hospital-matches.use-case';
import { AcknowledgementConsumer } from './progress/acknowledgement.consumer';
import { AcknowledgementEntity } from './progress/acknowledgement.entity';
import { RecallFollowUp1767225600410 } from './progress/recall-follow-up.migration';
import { RecallProgressUseCase } from './progress/recall-progress.use-case';
import { RecallProgressController } from './recall-progress.controller';

export const RECALL_MATCHING_ENTITIES = [
  CatalogueDeviceEntity,
  CatalogueIdentifierEntity,
  CatalogueRecordIdentifierEntity,
  ProjectedImplantEntity,
  RecallEntity,
  MatchEntity,
  AcknowledgementEntity,
  FollowUpEntity,
];

/** The outbox and inbox first, then the replica, the projection, the recalls and matches. */
export const RECALL_MATCHING_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  CreateRecallMatching1767225600400,
  RecallFollowUp1767225600410,
  CatalogueRecordIdentifiers1767225600420,
  CoveringActiveImplants1767225600430,
];

/** Recall queries and recalls, and the matches they find among the projected implants. */
@Module({})
export class RecallMatchingModule {
  static forRoot(options: RecallMatchingOptions): DynamicModule {
    return {
      module: RecallMatchingModule,
      imports: [
        ObservabilityModule,
        MessagingModule.forRoot({
          serviceName: options.serviceName,
          kafka: options.kafka,
          runRelay: options.runRelay ?? true,
          // The consumed topics are created here too (with their dead-letter topics), so a first
          // start does not depend on the publishers' start order.
          ownedTopics: [
            RECALLS_TOPIC,
            MATCHES_TOPIC,
            DEVICES_TOPIC,
            IMPLANTS_TOPIC,
            ACKNOWLEDGEMENTS_TOPIC,
          ],
          consumerGroupId: options.consumerGroupId ?? options.serviceName,
        }),
      ],
      controllers: [
        RecallsController,
        RecallProgressController,
        CatalogueReplicaConsumer,
        ImplantProjectionConsumer,
        AcknowledgementConsumer,
      ],
      providers: [
        { provide: RECALL_MATCHING_OPTIONS, useValue: options },
        { provide: RECALL_MATCHING_CLOCK, useValue: options.clock ?? systemClock },
        {
          // Counts read from the projection before it holds everything published while the
          // service was down are short: the answers say so.
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
                { topic: IMPLANTS_TOPIC, what: 'the implant projection' },
                { topic: DEVICES_TOPIC, what: 'the catalogue replica' },
                { topic: ACKNOWLEDGEMENTS_TOPIC, what: 'the acknowledgements' },
              ],
              readinessName: 'projection',
            }),
        },
        CatalogueReplicaRepository,
        ImplantProjectionRepository,
        MatchLedgerRepository,
        RecallMatcher,
        RecallsRepository,
        RecallChangesUseCase,
        RecallQueryUseCase,
        RecallProgressUseCase,
        HospitalMatchesUseCase,
        RecallScopeUseCase,
      ],
    };
  }
}
