import 'reflect-metadata';

import { RecallMatchingConfig } from '@implant-trace/platform-config';
import { bootstrapService } from '@implant-trace/platform-http';

import { AppModule } from './app.module';

bootstrapService(RecallMatchingConfig, { imports: [AppModule] }).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
