import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';

import type { ServiceAppOptions, ServiceSchema } from '@implant-trace/platform-http';
import {
  RECALL_MATCHING_ENTITIES,
  RECALL_MATCHING_MIGRATIONS,
  RecallMatchingModule,
} from '@implant-trace/recall-matching-feature';

import type { RecallMatchingConfig } from './recall-matching.config';

/** The recall-matching feature modules; the platform surface comes from bootstrapService. */
@Module({})
export class AppModule {
  static forRoot(config: RecallMatchingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        RecallMatchingModule.forRoot({
          serviceName: config.serviceName,
          kafka: config,
          ...(config.kafkaConsumerGroup === undefined
            ? {}
            : { consumerGroupId: config.kafkaConsumerGroup }),
        }),
      ],
    };
  }
}

/** The service's tables, for the service and for its migration step alike. */
export const RECALL_MATCHING_SCHEMA: ServiceSchema = {
  entities: RECALL_MATCHING_ENTITIES,
  migrations: RECALL_MATCHING_MIGRATIONS,
};

/** Everything bootstrapService / createServiceApp needs beyond the config itself. */
export function recallMatchingAppOptions(
  config: RecallMatchingConfig,
): Omit<ServiceAppOptions, 'config'> {
  return { imports: [AppModule.forRoot(config)], ...RECALL_MATCHING_SCHEMA };
}
