import { deadLetterTopicOf } from '@implant-trace/contracts';
import { uniqueName, waitFor } from '@implant-trace/platform-testing';

import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { EventConsumer } from './event-consumer';

describe('the dead-letter producer after a failed send', () => {
  const bed = new MessagingTestBed(1);
  const deadLetters = deadLetterTopicOf(bed.topic.name);

  beforeAll(async () => {
    await bed.setUp();
  });

  afterAll(async () => {
    await bed.tearDown();
  });

  async function sendPoison(): Promise<void> {
    const message = MessagingTestBed.message(bed.event, bed.payload());
    await bed.producer.send({
      topic: bed.topic.name,
      acks: -1,
      messages: [{ ...message, value: '{"not json' }],
    });
  }

  /** The producer id of every dead letter, read from the record batches on the topic. */
  async function letterProducerIds(count: number): Promise<string[]> {
    const reader = bed.kafka.consumer(uniqueName('it-dlq-reader'));
    const ids: string[] = [];
    await reader.connect();
    try {
      await reader.subscribe({ topic: deadLetters, fromBeginning: true });
      await reader.run({
        eachMessage: async ({ message }) => {
          const { batchContext } = message as unknown as { batchContext: { producerId: string } };
          ids.push(batchContext.producerId);
        },
      });
      await waitFor(() => ids.length >= count, { description: `${count} dead letters` });
    } finally {
      await reader.disconnect();
    }
    return ids;
  }

  async function topicExists(): Promise<boolean> {
    const admin = bed.kafka.admin();
    await admin.connect();
    try {
      return (await admin.listTopics()).includes(deadLetters);
    } finally {
      await admin.disconnect();
    }
  }

  it('is replaced, so the letter that failed reaches the topic once the topic is back', async () => {
    const errors: string[] = [];
    const consumer = new EventConsumer(bed.dataSource, bed.kafka, {
      groupId: uniqueName('it-dlq-producer'),
      topics: [bed.topic],
      initialBackoffMs: 200,
      maxBackoffMs: 1_000,
      onError: (error) => errors.push(String(error)),
    });
    await consumer.start();
    try {
      await sendPoison();
      await waitFor(() => consumer.stats.deadLettered === 1, { description: 'the first letter' });
      const [firstProducer] = await letterProducerIds(1);

      const admin = bed.kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [deadLetters] });
      await waitFor(async () => !(await topicExists()), { description: 'the DLQ to be deleted' });
      await sendPoison();
      await waitFor(() => errors.length > 0, {
        timeoutMs: 90_000,
        description: 'the dead-letter send to fail',
      });
      expect(consumer.stats.deadLettered).toBe(1);
      expect(consumer.heldPartitions()).toMatchObject([{ partition: 0 }]);

      await admin.createTopics({ topics: [{ topic: deadLetters, numPartitions: 1 }] });
      await waitFor(() => consumer.stats.deadLettered === 2, {
        timeoutMs: 60_000,
        description: 'the failed letter to be sent again',
      });
      const [offsets] = await admin.fetchTopicOffsets(deadLetters);
      await admin.disconnect();
      expect(offsets?.high).toBe('1');
      const [retriedProducer] = await letterProducerIds(1);
      expect(retriedProducer).toBeDefined();
      expect(retriedProducer).not.toBe(firstProducer);
      expect(consumer.heldPartitions()).toEqual([]);
    } finally {
      await consumer.stop();
    }
  }, 180_000);
});
