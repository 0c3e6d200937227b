import { randomUUID } from 'node:crypto';

import type { KafkaConnection } from '../broker/kafka-connection';
import { stringHeaders } from '../broker/kafka-headers';
import type { MessageHeaders } from '../broker/cloud-event-headers';
import type { DecodeResult } from '../consumer/decode-message';
import { decodeMessage } from '../consumer/decode-message';

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string | null;
  headers: MessageHeaders;
  decoded: DecodeResult;
}

export interface ReadTopicOptions {
  /** Stop once this returns true for everything read so far. */
  until: (messages: readonly ReadMessage[]) => boolean;
  timeoutMs?: number;
  /** Where to start in each partition (its next offset); from the start when left out. */
  from?: ReadonlyMap<number, string>;
}

/**
 * Reads a topic from offset 0 (or from the offsets given) with a throwaway consumer group,
 * decoding each message the way
 * consumers do, until a condition holds: for end-to-end tests and operator inspection.
 * Nothing is committed.
 */
export async function readTopic(
  kafka: KafkaConnection,
  topic: string,
  { until, timeoutMs = 30_000, from }: ReadTopicOptions,
): Promise<ReadMessage[]> {
  const consumer = kafka.consumer(`reader-${randomUUID()}`);
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`readTopic(${topic}): condition not met in ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ message, partition }) => {
            const headers = stringHeaders(message.headers);
            messages.push({
              partition,
              offset: message.offset,
              key: message.key?.toString() ?? null,
              headers,
              decoded: decodeMessage(headers, message.value),
            });
            if (until(messages)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .then(() => {
          for (const [partition, offset] of from ?? []) consumer.seek({ topic, partition, offset });
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
