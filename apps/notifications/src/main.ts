import 'reflect-metadata';

import { bootstrapService } from '@implant-trace/platform-http';

import { AppModule } from './app.module';
import { NotificationsConfig } from './notifications.config';

bootstrapService(NotificationsConfig, { imports: [AppModule] }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
