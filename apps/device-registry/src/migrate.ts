import 'reflect-metadata';

import { migrateService } from '@implant-trace/platform-http';

import { DEVICE_REGISTRY_SCHEMA } from './app.module';
import { DeviceRegistryConfig } from './device-registry.config';

migrateService(DeviceRegistryConfig, DEVICE_REGISTRY_SCHEMA).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
