// Operator tool: re-drive a dead-letter topic, rewind a consumer group to offset 0 so its
// projection is rebuilt (the inbox turns already-applied events into no-ops), or list and
// re-send the outbox rows a service's relay parked.
//   npm run messaging:replay -- redrive-dlq <topic>
//   npm run messaging:replay -- rewind <group-id> <topic>   (stop the group's consumers first)
//   npm run messaging:replay -- parked <service schema>
//   npm run messaging:replay -- resend-parked <service schema> --all | <outbox id>...
// It reaches Kafka from the services' KAFKA_* variables (TLS, SCRAM) and the outbox from
// DATABASE_URL.
import 'reflect-metadata';

import {
  KafkaClientConfig,
  loadConfig,
  TestInfrastructureConfig,
} from '@implant-trace/platform-config';
import { createSchemaDataSource } from '@implant-trace/platform-database';
import type { ParkedRow } from '@implant-trace/platform-messaging';
import {
  KafkaConnection,
  messagingConnectionOptions,
  OutboxRepository,
  redriveDeadLetters,
  rewindConsumerGroup,
} from '@implant-trace/platform-messaging';

const USAGE =
  'usage: replay redrive-dlq <topic> | rewind <group-id> <topic> | parked <schema> | ' +
  'resend-parked <schema> --all|<outbox id>...';

async function withOutbox<T>(schema: string, work: (outbox: OutboxRepository) => Promise<T>) {
  const { databaseUrl } = loadConfig(TestInfrastructureConfig);
  const dataSource = createSchemaDataSource({ url: databaseUrl, schema });
  await dataSource.initialize();
  try {
    return await work(new OutboxRepository(dataSource));
  } finally {
    await dataSource.destroy();
  }
}

function describeParked(row: ParkedRow): string {
  return [
    `outbox id ${row.id}`,
    `event ${row.eventId} (${row.eventType})`,
    `topic ${row.topic}`,
    `key ${row.messageKey} blocked, ${row.waitingBehind} later rows waiting`,
    `parked ${row.parkedAt.toISOString()} after ${row.sendFailures} failed sends`,
    `reason: ${row.reason}`,
  ].join(' | ');
}

async function main(): Promise<void> {
  const [command, first, ...rest] = process.argv.slice(2);
  const kafka = () =>
    new KafkaConnection(
      messagingConnectionOptions(loadConfig(KafkaClientConfig), 'implant-trace-replay'),
    );
  if (command === 'redrive-dlq' && first !== undefined) {
    const count = await redriveDeadLetters(kafka(), first);
    console.log(`re-drove ${count} dead letters to ${first}`);
  } else if (command === 'rewind' && first !== undefined && rest[0] !== undefined) {
    await rewindConsumerGroup(kafka(), first, rest[0]);
    console.log(`consumer group ${first} rewound to offset 0 of ${rest[0]}`);
  } else if (command === 'parked' && first !== undefined) {
    const parked = await withOutbox(first, (outbox) => outbox.listParked());
    for (const row of parked) console.log(describeParked(row));
    console.log(`${parked.length} parked outbox rows in ${first}`);
  } else if (command === 'resend-parked' && first !== undefined && rest.length > 0) {
    const ids = rest.includes('--all') ? undefined : rest;
    const resent = await withOutbox(first, (outbox) => outbox.resendParked(ids));
    console.log(
      `${resent.length} parked outbox rows handed back to the relay: ${resent.join(' ')}`,
    );
  } else {
    console.error(USAGE);
    process.exit(2);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
