import { testInfrastructure, uniqueName, waitFor } from '@implant-trace/platform-testing';

import { createKafkaClient } from './kafka-client.factory';

describe('the local Kafka broker', () => {
  const kafka = createKafkaClient({
    brokers: testInfrastructure().kafkaBrokers,
    clientId: 'it-kafka-roundtrip',
  });
  const topic = uniqueName('it.roundtrip');
  const admin = kafka.admin();

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  it('does not create topics automatically', async () => {
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 1 } });
    await producer.connect();
    try {
      await expect(
        producer.send({ topic: uniqueName('it.absent'), messages: [{ value: 'x' }], acks: -1 }),
      ).rejects.toThrow();
    } finally {
      await producer.disconnect();
    }
  });

  it('delivers an idempotently produced message to a group consumer that commits manually', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const groupId = uniqueName('it-group');
    const consumer = kafka.consumer({ groupId });
    const received: string[] = [];
    await producer.connect();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ message, partition }) => {
          received.push(`${message.key?.toString()}=${message.value?.toString()}`);
          await consumer.commitOffsets([
            { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
          ]);
        },
      });
      await producer.send({ topic, acks: -1, messages: [{ key: 'k1', value: 'hello' }] });
      await waitFor(() => received.length === 1, { description: 'the message' });
      expect(received).toEqual(['k1=hello']);
      const committed = await waitFor(
        async () => {
          const [topicOffsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
          const offsets = topicOffsets?.partitions.map((p) => p.offset) ?? [];
          return offsets.includes('1') && offsets;
        },
        { description: 'the committed offset' },
      );
      expect([...committed].sort()).toEqual(['-1', '1']);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});
