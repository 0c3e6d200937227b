// Operator tool: re-drive a dead-letter topic, or rewind a consumer group to offset 0 so its
// projection is rebuilt (the inbox turns already-applied events into no-ops).
//   npm run messaging:replay -- redrive-dlq <topic>
//   npm run messaging:replay -- rewind <group-id> <topic>   (stop the group's consumers first)
import {
  KafkaConnection,
  redriveDeadLetters,
  rewindConsumerGroup,
} from '@implant-trace/platform-messaging';
import { loadConfig, TestInfrastructureConfig } from '@implant-trace/platform-config';

async function main(): Promise<void> {
  const [command, first, second] = process.argv.slice(2);
  const { kafkaBrokers } = loadConfig(TestInfrastructureConfig);
  const kafka = new KafkaConnection({ brokers: kafkaBrokers, clientId: 'implant-trace-replay' });
  if (command === 'redrive-dlq' && first !== undefined) {
    const count = await redriveDeadLetters(kafka, first);
    console.log(`re-drove ${count} dead letters to ${first}`);
  } else if (command === 'rewind' && first !== undefined && second !== undefined) {
    await rewindConsumerGroup(kafka, first, second);
    console.log(`consumer group ${first} rewound to offset 0 of ${second}`);
  } else {
    console.error('usage: replay redrive-dlq <topic> | rewind <group-id> <topic>');
    process.exit(2);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
