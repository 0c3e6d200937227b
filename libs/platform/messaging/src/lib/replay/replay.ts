import { deadLetterTopicOf } from '@implant-trace/contracts';

import type { KafkaConnection } from '../broker/kafka-connection';
import { stringHeaders } from '../broker/kafka-headers';

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
    await admin.resetOffsets({ groupId, topic, earliest: true });
  } finally {
    await admin.disconnect();
  }
}

const DLQ_HEADER_PREFIX = 'dlq_';

/**
 * Re-drives a dead-letter topic: every message in it is published again to its original
 * topic with its original key and headers (the DLQ bookkeeping headers removed), so a fixed
 * consumer gets another chance. Returns how many messages were re-driven.
 */
export async function redriveDeadLetters(
  kafka: KafkaConnection,
  topic: string,
  groupId = `${deadLetterTopicOf(topic)}.redrive`,
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(deadLetterTopicOf(topic));
  await admin.disconnect();
  const remaining = new Map(ends.map((p) => [p.partition, BigInt(p.high)]));
  const producer = kafka.idempotentProducer();
  const consumer = kafka.consumer(groupId);
  let count = 0;
  await producer.connect();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: deadLetterTopicOf(topic), fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      const check = () => {
        if ([...remaining.values()].every((high) => high === 0n)) resolve();
      };
      check();
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ message, partition }) => {
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
            { topic: deadLetterTopicOf(topic), partition, offset: next.toString() },
          ]);
          count += 1;
          if (next >= (remaining.get(partition) ?? 0n)) remaining.set(partition, 0n);
          check();
        },
      });
    });
    await done;
    return count;
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}
