import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';

import {
  NOTIFICATIONS_ENTITIES,
  NOTIFICATIONS_MIGRATIONS,
  NotificationsModule,
} from '@implant-trace/notifications-feature';
import type { ServiceAppOptions, ServiceSchema } from '@implant-trace/platform-http';

import type { NotificationsConfig } from './notifications.config';

/** The notifications feature module; the platform surface comes from bootstrapService. */
@Module({})
export class AppModule {
  static forRoot(config: NotificationsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        NotificationsModule.forRoot({
          serviceName: config.serviceName,
          kafka: config,
          urlPolicy: {
            allowLoopback: config.webhookAllowLoopbackUrls,
            allowPrivate: config.webhookAllowPrivateUrls,
          },
          webhookTimeoutMs: config.webhookTimeoutMs,
          runWorkers: config.webhookWorkers,
          workerConcurrency: config.webhookWorkerConcurrency,
          perEndpointConcurrency: config.webhookEndpointConcurrency,
          ...(config.kafkaConsumerGroup === undefined
            ? {}
            : { consumerGroupId: config.kafkaConsumerGroup }),
        }),
      ],
    };
  }
}

/** The notifications tables, for the service and for its migration step alike. */
export const NOTIFICATIONS_SCHEMA: ServiceSchema = {
  entities: NOTIFICATIONS_ENTITIES,
  migrations: NOTIFICATIONS_MIGRATIONS,
};

/** Everything bootstrapService / createServiceApp needs beyond the config itself. */
export function notificationsAppOptions(
  config: NotificationsConfig,
): Omit<ServiceAppOptions, 'config'> {
  return { imports: [AppModule.forRoot(config)], ...NOTIFICATIONS_SCHEMA };
}
