import 'reflect-metadata';

import { NotificationsConfig } from '@implant-trace/platform-config';
import { bootstrapService } from '@implant-trace/platform-http';

import { AppModule } from './app.module';

bootstrapService(NotificationsConfig, { imports: [AppModule] }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
