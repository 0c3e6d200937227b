import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';

import {
  DEVICE_REGISTRY_ENTITIES,
  DEVICE_REGISTRY_MIGRATIONS,
  DeviceRegistryModule,
} from '@implant-trace/device-registry-feature';
import type { ServiceAppOptions, ServiceSchema } from '@implant-trace/platform-http';

import type { DeviceRegistryConfig } from './device-registry.config';

/** The device-registry feature modules; the platform surface comes from bootstrapService. */
@Module({})
export class AppModule {
  static forRoot(config: DeviceRegistryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DeviceRegistryModule.forRoot({
          serviceName: config.serviceName,
          kafka: config,
          importMaxBytes: config.importMaxBytes,
        }),
      ],
    };
  }
}

/** The device catalogue's tables, for the service and for its migration step alike. */
export const DEVICE_REGISTRY_SCHEMA: ServiceSchema = {
  entities: DEVICE_REGISTRY_ENTITIES,
  migrations: DEVICE_REGISTRY_MIGRATIONS,
};

/** Everything bootstrapService / createServiceApp needs beyond the config itself. */
export function deviceRegistryAppOptions(
  config: DeviceRegistryConfig,
): Omit<ServiceAppOptions, 'config'> {
  return {
    imports: [AppModule.forRoot(config)],
    ...DEVICE_REGISTRY_SCHEMA,
  };
}
