import 'reflect-metadata';

import { DeviceRegistryConfig } from '@implant-trace/platform-config';
import { bootstrapService } from '@implant-trace/platform-http';

import { AppModule } from './app.module';

bootstrapService(DeviceRegistryConfig, { imports: [AppModule] }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
