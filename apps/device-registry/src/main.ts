import 'reflect-metadata';

import {
  assertSupportedRuntime,
  describeConfig,
  DeviceRegistryConfig,
  loadConfig,
} from '@implant-trace/platform-config';
import { NestFactory } from '@nestjs/core';

import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  assertSupportedRuntime();
  const config = loadConfig(DeviceRegistryConfig);
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  console.log(JSON.stringify({ msg: 'device-registry listening', config: describeConfig(config) }));
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
