// The client ceiling's consumer: kafkajs alone, through the same connection settings as the
// pipeline's consumer, committing after each batch as it does, with no database behind it.
// Prints `ready` once it has joined its group, then `done <epoch ms>` when `count` arrived.
import { KafkaConnection } from '@implant-trace/platform-messaging';

import { exitWithParent } from '../support/service-process';

interface CeilingArguments {
  brokers: string[];
  topic: string;
  groupId: string;
  count: number;
}

async function main(): Promise<void> {
  exitWithParent();
  const args = JSON.parse(process.argv[2] ?? '{}') as CeilingArguments;
  const consumer = new KafkaConnection({
    brokers: args.brokers,
    clientId: 'bench-ceiling-consumer',
  }).consumer(args.groupId);
  let received = 0;
  consumer.on(consumer.events.GROUP_JOIN, () => process.stdout.write('ready\n'));
  await consumer.connect();
  await consumer.subscribe({ topics: [args.topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch }) => {
      const last = batch.messages[batch.messages.length - 1];
      if (last === undefined) return;
      received += batch.messages.length;
      await consumer.commitOffsets([
        {
          topic: batch.topic,
          partition: batch.partition,
          offset: String(BigInt(last.offset) + 1n),
        },
      ]);
      // Exits without disconnecting: kafkajs's disconnect waits for this very batch to end.
      if (received >= args.count)
        process.stdout.write(`done ${Date.now()}\n`, () => process.exit(0));
    },
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
