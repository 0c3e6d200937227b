import 'reflect-metadata';

import { migrateService } from '@implant-trace/platform-http';

import { NOTIFICATIONS_SCHEMA } from './app.module';
import { NotificationsConfig } from './notifications.config';

migrateService(NotificationsConfig, NOTIFICATIONS_SCHEMA).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
