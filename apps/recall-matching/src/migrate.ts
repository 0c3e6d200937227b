import 'reflect-metadata';

import { migrateService } from '@implant-trace/platform-http';

import { RecallMatchingConfig } from './recall-matching.config';

// Only the platform's tables so far; the service passes its own schema once it has one.
migrateService(RecallMatchingConfig).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
