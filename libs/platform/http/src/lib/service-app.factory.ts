import type { DestinationStream } from 'pino';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

import { routesWithoutAccessDecision } from '@implant-trace/platform-auth';
import type { Environment, ServiceConfigBase } from '@implant-trace/platform-config';
import { assertSupportedRuntime, describeConfig, loadConfig } from '@implant-trace/platform-config';
import { connectInboxTransport } from '@implant-trace/platform-messaging';
import {
  createLogger,
  PinoNestLogger,
  PlatformMetrics,
  requestObservability,
  serveOpenApi,
} from '@implant-trace/platform-observability';

import { addressRateLimit } from './address-rate-limit.middleware';
import type { RateLimit } from './rate-limit.policy';
import { RateLimiter } from './rate-limiter';
import type { ServicePlatformOptions } from './service-platform.module';
import { ServiceEventTransport, ServicePlatformModule } from './service-platform.module';
import { createValidationPipe } from './validation.pipe';

export interface ServiceAppOptions extends ServicePlatformOptions {
  /** Where JSON log lines go (standard output by default). */
  logDestination?: DestinationStream;
  /** Overrides the per-client-address limit of the config (tests). */
  addressRateLimit?: RateLimit;
}

/**
 * A service's Nest application with the shared HTTP surface (auth, problem+json, validation,
 * body limit, idempotency, rate limit, logs, /health, /metrics, /docs), initialised but not
 * listening. Refuses to build when any route lacks an access decision.
 */
export async function createServiceApp(
  options: ServiceAppOptions,
): Promise<NestExpressApplication> {
  const { config } = options;
  const logger = createLogger({
    service: config.serviceName,
    level: config.logLevel,
    ...(options.logDestination === undefined ? {} : { destination: options.logDestination }),
  });
  const app = await NestFactory.create<NestExpressApplication>(
    ServicePlatformModule.forRoot({ ...options, logger }),
    {
      bodyParser: false,
      abortOnError: false,
      logger: new PinoNestLogger(logger),
    },
  );
  app.disable('x-powered-by');
  if (config.httpTrustedProxyHops > 0) app.set('trust proxy', config.httpTrustedProxyHops);
  app.use(requestObservability(logger, app.get(PlatformMetrics)));
  app.use(
    addressRateLimit(app.get(RateLimiter), {
      limit: config.httpRateLimitPerAddress,
      windowSeconds: 60,
      ...options.addressRateLimit,
    }),
  );
  app.useBodyParser('json', { limit: config.httpBodyLimitBytes });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  serveOpenApi(app, config.serviceName, '1');
  // The service's @EventPattern consumers, over the messaging library's inbox transport.
  const { inbox } = app.get(ServiceEventTransport);
  if (inbox !== undefined) connectInboxTransport(app, inbox);
  await app.init();
  const undecided = routesWithoutAccessDecision(app);
  if (undecided.length > 0) {
    await app.close();
    throw new Error(
      `Every route needs @Public() or @Roles(...); missing on: ${undecided.map((r) => `${r.key} (${r.controller}.${r.handler})`).join(', ')}`,
    );
  }
  await app.startAllMicroservices();
  return app;
}

/** A service's whole `main.ts`: load and validate its config, build the app, listen. */
export async function bootstrapService<C extends ServiceConfigBase>(
  configClass: new () => C,
  options: Omit<ServiceAppOptions, 'config'> = {},
  env?: Environment,
): Promise<NestExpressApplication> {
  assertSupportedRuntime();
  const config = loadConfig(configClass, env);
  const app = await createServiceApp({ ...options, config });
  await app.listen(config.port, config.host);
  createLogger({ service: config.serviceName, level: config.logLevel }).info(
    { config: describeConfig(config) },
    `${config.serviceName} listening on ${config.host}:${config.port}`,
  );
  return app;
}
