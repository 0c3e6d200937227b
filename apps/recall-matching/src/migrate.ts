import 'reflect-metadata';

import { migrateService } from '@implant-trace/platform-http';

import { RECALL_MATCHING_SCHEMA } from './app.module';
import { RecallMatchingConfig } from './recall-matching.config';

migrateService(RecallMatchingConfig, RECALL_MATCHING_SCHEMA).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
