import 'reflect-metadata';

import { loadConfig } from '@implant-trace/platform-config';
import { bootstrapService } from '@implant-trace/platform-http';

import { deviceRegistryAppOptions } from './app.module';
import { DeviceRegistryConfig } from './device-registry.config';

async function main(): Promise<void> {
  // The feature module needs the config (brokers, import limit) before bootstrapService builds
  // the app; both read the same validated environment.
  const config = loadConfig(DeviceRegistryConfig);
  await bootstrapService(DeviceRegistryConfig, deviceRegistryAppOptions(config));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
