import 'reflect-metadata';

import {
  assertSupportedRuntime,
  ConfigValidationError,
  describeConfig,
  loadConfig,
} from '@implant-trace/platform-config';

import { TheatreWebServerConfig } from './theatre-web-server.config';
import { createWebServer } from './web-server';

function main(): void {
  assertSupportedRuntime();
  let config: TheatreWebServerConfig;
  try {
    config = loadConfig(TheatreWebServerConfig);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const server = createWebServer(config);
  server.listen(config.port, () => {
    process.stdout.write(
      `theatre-web: http://localhost:${config.port} (${JSON.stringify(describeConfig(config))})\n`,
    );
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main();
