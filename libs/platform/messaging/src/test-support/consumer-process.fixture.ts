// A consumer in its own process, so a test can SIGKILL it mid-batch. Arguments arrive as
// one JSON document; each applied event takes a few milliseconds, as a real effect would.
import 'reflect-metadata';

import { EVENTS } from '@implant-trace/contracts';
import { createSchemaDataSource } from '@implant-trace/platform-database';

import { KafkaConnection } from '../lib/broker/kafka-connection';
import { EventConsumer } from '../lib/consumer/event-consumer';
import { MessagingTestBed } from './messaging-test-bed';

interface FixtureArguments {
  databaseUrl: string;
  schema: string;
  brokers: string[];
  topic: string;
  groupId: string;
  effectDelayMs: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as FixtureArguments;
  const dataSource = createSchemaDataSource({ url: args.databaseUrl, schema: args.schema });
  await dataSource.initialize();
  const topic = { name: args.topic, key: 'implantId', partitions: 3, config: {} };
  const event = { ...EVENTS.implantExplantedV1, topic };
  const consumer = new EventConsumer(
    dataSource,
    new KafkaConnection({ brokers: args.brokers, clientId: 'it-consumer-process' }),
    { groupId: args.groupId, topics: [topic], maxTransactionSize: 20 },
  ).on(event, async (envelope, tx) => {
    await MessagingTestBed.recordEffect(tx, envelope.id, envelope.data.implantId);
    await new Promise((resolve) => setTimeout(resolve, args.effectDelayMs));
  });
  await consumer.start();
  process.stdout.write('started\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
