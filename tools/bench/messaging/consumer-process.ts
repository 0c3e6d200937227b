// The benchmark's consuming service, in its own process as it would be in production. Each
// event's effect is one row, written by a handler per event as services write them, or, with
// `handler: 'batch'`, by a batch handler writing each run of events in one statement.
import 'reflect-metadata';

import { EVENTS } from '@implant-trace/contracts';
import { createSchemaDataSource } from '@implant-trace/platform-database';
import { EventConsumer, KafkaConnection } from '@implant-trace/platform-messaging';

import { serveUntilTerminated } from '../support/service-process';

interface ConsumerArguments {
  databaseUrl: string;
  schema: string;
  brokers: string[];
  topic: { name: string; key: string; partitions: number; config: Record<string, string> };
  groupId: string;
  handler?: 'each' | 'batch';
}

serveUntilTerminated(async () => {
  const args = JSON.parse(process.argv[2] ?? '{}') as ConsumerArguments;
  const dataSource = createSchemaDataSource({ url: args.databaseUrl, schema: args.schema });
  await dataSource.initialize();
  const consumer = new EventConsumer(
    dataSource,
    new KafkaConnection({ brokers: args.brokers, clientId: 'bench-consumer' }),
    { groupId: args.groupId, topics: [args.topic], maxTransactionSize: 500 },
  );
  const event = { ...EVENTS.implantExplantedV1, topic: args.topic };
  if (args.handler === 'batch') {
    consumer.onBatch(event, async (envelopes, tx) => {
      await tx.query(`INSERT INTO effects (event_id) SELECT unnest($1::uuid[])`, [
        envelopes.map((envelope) => envelope.id),
      ]);
    });
  } else {
    consumer.on(event, async (envelope, tx) => {
      await tx.query(`INSERT INTO effects (event_id) VALUES ($1)`, [envelope.id]);
    });
  }
  await consumer.start();
  return async () => {
    await consumer.stop();
    await dataSource.destroy();
  };
});
