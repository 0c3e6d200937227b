import 'reflect-metadata';

import { migrateService } from '@implant-trace/platform-http';

import { IMPLANT_EVENTS_SCHEMA } from './app.module';
import { ImplantEventsConfig } from './implant-events.config';

migrateService(ImplantEventsConfig, IMPLANT_EVENTS_SCHEMA).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
