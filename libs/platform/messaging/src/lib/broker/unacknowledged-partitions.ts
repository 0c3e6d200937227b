import type { RecordMetadata } from 'kafkajs';

/**
 * The partitions of a send that its answer does not acknowledge.
 *
 * kafkajs 2.2.4 keeps the answers of the brokers that answered across the retries of one send.
 * When a partition whose broker failed (it was no longer the leader, or it died) moves to one
 * of those brokers, the retry has no broker left to ask and the send resolves without that
 * partition ever being written (tulios/kafkajs#1798, not in any release). A send of several
 * partitions is therefore only as good as its answer: every partition sent must be in it,
 * without an error. Written here because no kafkajs release does it.
 */
export function unacknowledgedPartitions<T extends { topic: string; partition: number }>(
  sent: readonly T[],
  answer: readonly RecordMetadata[],
): T[] {
  const acknowledged = new Set(
    answer
      .filter((record) => record.errorCode === 0)
      .map((record) => `${record.topicName}\u0000${record.partition}`),
  );
  return sent.filter(({ topic, partition }) => !acknowledged.has(`${topic}\u0000${partition}`));
}

/** A partition a send resolved without; nothing says its records were written. */
export class PartitionNotAcknowledgedError extends Error {
  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {
    super(`the broker's answer did not acknowledge ${topic}[${partition}]; it is sent again`);
    this.name = 'PartitionNotAcknowledgedError';
  }
}
