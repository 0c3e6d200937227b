import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';

import {
  ACKNOWLEDGEMENTS_TOPIC,
  IMPLANTS_TOPIC,
  MATCHES_TOPIC,
  RECALLS_TOPIC,
} from '@implant-trace/contracts';
import { systemClock } from '@implant-trace/domain-kernel';
import { MESSAGING_MIGRATIONS, MessagingModule } from '@implant-trace/platform-messaging';
import { ObservabilityModule } from '@implant-trace/platform-observability';

import { AcknowledgementsController } from './acknowledgements.controller';
import { AcknowledgeRecallUseCase } from './acknowledgements/acknowledge-recall.use-case';
import { AcknowledgementEntity } from './acknowledgements/acknowledgement.entity';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesUseCase } from './deliveries/deliveries.use-case';
import { DeliveryClaimsRepository } from './deliveries/delivery-claims.repository';
import { DeliveryReplays1767225600410 } from './deliveries/delivery-replays.migration';
import { DeliveryAttemptEntity, DeliveryEntity } from './deliveries/delivery.entity';
import { DeliveryWorker } from './deliveries/delivery.worker';
import { WebhookSender } from './deliveries/webhook.sender';
import { EventsController } from './events.controller';
import { EventsUseCase } from './feed/events.use-case';
import { FanOutConsumer } from './feed/fan-out.consumer';
import { FanOutUseCase } from './feed/fan-out.use-case';
import { FeedEventEntity, HospitalFeedEntity } from './feed/feed-event.entity';
import { HospitalRegistration1767225600420 } from './feed/hospital-registration.migration';
import { CreateNotifications1767225600400 } from './notifications.migration';
import {
  NOTIFICATIONS_CLOCK,
  NOTIFICATIONS_OPTIONS,
  type NotificationsOptions,
} from './notifications.options';
import { SubscriptionsController } from './subscriptions.controller';
import { EndpointAddressChecker } from './subscriptions/endpoint-address.checker';
import { SubscriptionEntity } from './subscriptions/subscription.entity';
import { SubscriptionsUseCase } from './subscriptions/subscriptions.use-case';

export const NOTIFICATIONS_ENTITIES = [
  SubscriptionEntity,
  HospitalFeedEntity,
  FeedEventEntity,
  DeliveryEntity,
  DeliveryAttemptEntity,
  AcknowledgementEntity,
];

export const NOTIFICATIONS_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  CreateNotifications1767225600400,
  DeliveryReplays1767225600410,
  HospitalRegistration1767225600420,
];

/** Subscriptions, the per-hospital feed and its signed deliveries, and acknowledgements. */
@Module({})
export class NotificationsModule {
  static forRoot(options: NotificationsOptions): DynamicModule {
    return {
      module: NotificationsModule,
      imports: [
        ObservabilityModule,
        MessagingModule.forRoot({
          serviceName: options.serviceName,
          kafka: options.kafka,
          // The consumed topics are created here too, so a first start does not depend on the
          // publishers' start order; the acknowledgements topic is this service's own.
          ownedTopics: [MATCHES_TOPIC, RECALLS_TOPIC, IMPLANTS_TOPIC, ACKNOWLEDGEMENTS_TOPIC],
          consumerGroupId: options.consumerGroupId ?? options.serviceName,
          // Every event locks its hospital's sequence row to the end of its transaction (the
          // sequence is gapless), and a hospital's events arrive on every partition of the
          // implants and recalls topics: partitions applied in parallel only wait on each
          // other's rows, and deadlock when two transactions take them in different orders.
          partitionsConsumedConcurrently: 1,
        }),
      ],
      controllers: [
        SubscriptionsController,
        DeliveriesController,
        EventsController,
        AcknowledgementsController,
        FanOutConsumer,
      ],
      providers: [
        { provide: NOTIFICATIONS_OPTIONS, useValue: options },
        { provide: NOTIFICATIONS_CLOCK, useValue: options.clock ?? systemClock },
        EndpointAddressChecker,
        SubscriptionsUseCase,
        FanOutUseCase,
        EventsUseCase,
        DeliveriesUseCase,
        DeliveryClaimsRepository,
        WebhookSender,
        DeliveryWorker,
        AcknowledgeRecallUseCase,
      ],
    };
  }
}
