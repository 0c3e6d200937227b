// A delivery worker in its own process, so a test can SIGKILL it mid-send. Arguments arrive as
// one JSON document.
import 'reflect-metadata';

import { systemClock } from '@implant-trace/domain-kernel';
import { createSchemaDataSource } from '@implant-trace/platform-database';

import { DeliveryClaimsRepository } from '../lib/deliveries/delivery-claims.repository';
import { DeliveryWorker } from '../lib/deliveries/delivery.worker';
import { WebhookSender } from '../lib/deliveries/webhook.sender';
import type { NotificationsOptions } from '../lib/notifications.options';
import { EndpointAddressChecker } from '../lib/subscriptions/endpoint-address.checker';

interface FixtureArguments {
  databaseUrl: string;
  schema: string;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as FixtureArguments;
  const dataSource = createSchemaDataSource({ url: args.databaseUrl, schema: args.schema });
  await dataSource.initialize();
  const options: NotificationsOptions = {
    serviceName: 'notifications',
    kafka: { kafkaBrokers: [], kafkaSsl: false },
    urlPolicy: { allowLoopback: true, allowPrivate: false },
    webhookTimeoutMs: 2_000,
    pollIntervalMs: 20,
    leaseMarginMs: 1_000,
    retrySchedule: [50, 100, 150, 200],
  };
  const worker = new DeliveryWorker(
    options,
    systemClock,
    new DeliveryClaimsRepository(dataSource),
    new WebhookSender(options, new EndpointAddressChecker(options)),
  );
  worker.onApplicationBootstrap();
  process.stdout.write('started\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
