import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';

import {
  IMPLANT_EVENTS_ENTITIES,
  IMPLANT_EVENTS_MIGRATIONS,
  ImplantEventsModule,
} from '@implant-trace/implant-events-feature';
import type { ServiceAppOptions, ServiceSchema } from '@implant-trace/platform-http';

import type { ImplantEventsConfig } from './implant-events.config';

/** The implant-events feature modules; the platform surface comes from bootstrapService. */
@Module({})
export class AppModule {
  static forRoot(config: ImplantEventsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ImplantEventsModule.forRoot({
          serviceName: config.serviceName,
          kafka: config,
          redisUrl: config.redisUrl,
          cacheScope: config.databaseSchema,
          redisCommandTimeoutMs: config.redisCommandTimeoutMs,
          nhsNumberPolicy: config.nhsNumberPolicy,
          ...(config.kafkaConsumerGroup === undefined
            ? {}
            : { consumerGroupId: config.kafkaConsumerGroup }),
        }),
      ],
    };
  }
}

/** The replica and index tables, for the service and for its migration step alike. */
export const IMPLANT_EVENTS_SCHEMA: ServiceSchema = {
  entities: IMPLANT_EVENTS_ENTITIES,
  migrations: IMPLANT_EVENTS_MIGRATIONS,
};

/** Everything bootstrapService / createServiceApp needs beyond the config itself. */
export function implantEventsAppOptions(
  config: ImplantEventsConfig,
): Omit<ServiceAppOptions, 'config'> {
  return {
    imports: [AppModule.forRoot(config)],
    ...IMPLANT_EVENTS_SCHEMA,
  };
}
