// The benchmark's outbox relay, in its own process as it runs inside a service in production.
import 'reflect-metadata';

import { createSchemaDataSource } from '@implant-trace/platform-database';
import { KafkaConnection, OutboxRelay, OutboxRepository } from '@implant-trace/platform-messaging';

import { serveUntilTerminated } from '../support/service-process';

interface RelayArguments {
  databaseUrl: string;
  schema: string;
  brokers: string[];
}

serveUntilTerminated(async () => {
  const args = JSON.parse(process.argv[2] ?? '{}') as RelayArguments;
  const dataSource = createSchemaDataSource({ url: args.databaseUrl, schema: args.schema });
  await dataSource.initialize();
  const relay = new OutboxRelay(
    new OutboxRepository(dataSource),
    new KafkaConnection({ brokers: args.brokers, clientId: 'bench-relay' }),
    { relayId: 'bench-relay', onError: (error) => console.error(`relay: ${String(error)}`) },
  );
  await relay.start();
  return async () => {
    await relay.stop();
    await dataSource.destroy();
  };
});
