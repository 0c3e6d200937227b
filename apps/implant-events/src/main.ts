import 'reflect-metadata';

import { loadConfig } from '@implant-trace/platform-config';
import { bootstrapService } from '@implant-trace/platform-http';

import { implantEventsAppOptions } from './app.module';
import { ImplantEventsConfig } from './implant-events.config';

async function main(): Promise<void> {
  // The feature module needs the config (brokers, Redis) before bootstrapService builds the
  // app; both read the same validated environment.
  const config = loadConfig(ImplantEventsConfig);
  await bootstrapService(ImplantEventsConfig, implantEventsAppOptions(config));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
