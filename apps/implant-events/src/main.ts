import 'reflect-metadata';

import { ImplantEventsConfig } from '@implant-trace/platform-config';
import { bootstrapService } from '@implant-trace/platform-http';

import { AppModule } from './app.module';

bootstrapService(ImplantEventsConfig, { imports: [AppModule] }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
