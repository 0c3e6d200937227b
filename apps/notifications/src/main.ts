import 'reflect-metadata';

import { loadConfig } from '@implant-trace/platform-config';
import { bootstrapService } from '@implant-trace/platform-http';

import { notificationsAppOptions } from './app.module';
import { NotificationsConfig } from './notifications.config';

async function main(): Promise<void> {
  // The feature module needs the config (brokers, URL policy) before bootstrapService builds
  // the app; both read the same validated environment.
  const config = loadConfig(NotificationsConfig);
  await bootstrapService(NotificationsConfig, notificationsAppOptions(config));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
