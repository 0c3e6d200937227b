import { deadLetterTopicOf } from '@implant-trace/contracts';

import type { KafkaConnection } from '../broker/kafka-connection';
import { stringHeaders } from '../broker/kafka-headers';
import { whileCoordinatorLoads } from './while-coordinator-loads';

/**
 * Moves a consumer group back to offset 0 of a topic, so its projection is rebuilt from the
 * full history; the inbox makes every already-applied event a no-op. The group's consumers
 * must be stopped (Kafka refuses to move the offsets of an active group).
 */
export async function rewindConsumerGroup(
  kafka: KafkaConnection,
  groupId: string,
  topic: string,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await whileCoordinatorLoads(() => admin.resetOffsets({ groupId, topic, earliest: true }));
  } finally {
    await admin.disconnect();
  }
}

const DLQ_HEADER_PREFIX = 'dlq_';

/**
 * Re-drives a dead-letter topic: every message in it that this re-drive group has not yet
 * re-driven is published again to its original topic with its original key and headers (the
 * DLQ bookkeeping headers removed), so a fixed consumer gets another chance. Ends once it
 * has reached the end each partition had when it started, at once when there is nothing
 * new. Returns how many messages were re-driven.
 */
export async function redriveDeadLetters(
  kafka: KafkaConnection,
  topic: string,
  groupId = `${deadLetterTopicOf(topic)}.redrive`,
): Promise<number> {
  const deadLetterTopic = deadLetterTopicOf(topic);
  const remaining = await partitionsLeftToRedrive(kafka, deadLetterTopic, groupId);
  if (remaining.size === 0) return 0;
  const producer = kafka.idempotentProducer();
  const consumer = kafka.consumer(groupId);
  let count = 0;
  await producer.connect();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: deadLetterTopic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ message, partition }) => {
            const end = remaining.get(partition);
            if (end === undefined) return;
            const headers = Object.fromEntries(
              Object.entries(stringHeaders(message.headers)).filter(
                ([name]) => !name.startsWith(DLQ_HEADER_PREFIX),
              ),
            );
            await producer.send({
              topic,
              acks: -1,
              messages: [{ key: message.key, value: message.value, headers }],
            });
            const next = BigInt(message.offset) + 1n;
            await consumer.commitOffsets([
              { topic: deadLetterTopic, partition, offset: next.toString() },
            ]);
            count += 1;
            if (next >= end) remaining.delete(partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
    return count;
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}

/**
 * The partitions whose end lies beyond where this group stands (its committed offset, or the
 * first offset still kept), with that end: a partition already re-driven to its end, or
 * empty, is left out, so nothing waits for a message that will never come.
 */
async function partitionsLeftToRedrive(
  kafka: KafkaConnection,
  deadLetterTopic: string,
  groupId: string,
): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(deadLetterTopic);
    const [committed] = await whileCoordinatorLoads(() =>
      admin.fetchOffsets({ groupId, topics: [deadLetterTopic] }),
    );
    const left = new Map<number, bigint>();
    for (const { partition, low, high } of ends) {
      const offset = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
      const from = BigInt(offset) < BigInt(low) ? BigInt(low) : BigInt(offset);
      if (from < BigInt(high)) left.set(partition, BigInt(high));
    }
    return left;
  } finally {
    await admin.disconnect();
  }
}
