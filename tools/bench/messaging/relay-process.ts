// The benchmark's outbox relay, in its own process as it runs inside a service in production.
import 'reflect-metadata';

import { createSchemaDataSource } from '@implant-trace/platform-database';
import { KafkaConnection, OutboxRelay, OutboxRepository } from '@implant-trace/platform-messaging';

import { exitWithParent } from '../support/service-process';

interface RelayArguments {
  databaseUrl: string;
  schema: string;
  brokers: string[];
}

async function main(): Promise<void> {
  exitWithParent();
  const args = JSON.parse(process.argv[2] ?? '{}') as RelayArguments;
  const dataSource = createSchemaDataSource({ url: args.databaseUrl, schema: args.schema });
  await dataSource.initialize();
  const relay = new OutboxRelay(
    new OutboxRepository(dataSource),
    new KafkaConnection({ brokers: args.brokers, clientId: 'bench-relay' }),
    { relayId: 'bench-relay', onError: (error) => console.error(`relay: ${String(error)}`) },
  );
  await relay.start();
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    void relay
      .stop()
      .then(() => dataSource.destroy())
      .then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
