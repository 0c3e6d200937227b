import 'reflect-metadata';

import { loadConfig } from '@implant-trace/platform-config';
import { bootstrapService } from '@implant-trace/platform-http';

import { recallMatchingAppOptions } from './app.module';
import { RecallMatchingConfig } from './recall-matching.config';

async function main(): Promise<void> {
  // The feature module needs the config (brokers) before bootstrapService builds the app; both
  // read the same validated environment.
  const config = loadConfig(RecallMatchingConfig);
  await bootstrapService(RecallMatchingConfig, recallMatchingAppOptions(config));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
