import 'reflect-metadata';

import { bootstrapService } from '@implant-trace/platform-http';

import { AppModule } from './app.module';
import { ImplantEventsConfig } from './implant-events.config';

bootstrapService(ImplantEventsConfig, { imports: [AppModule] }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
