import 'reflect-metadata';

import { bootstrapService } from '@implant-trace/platform-http';

import { AppModule } from './app.module';
import { RecallMatchingConfig } from './recall-matching.config';

bootstrapService(RecallMatchingConfig, { imports: [AppModule] }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
