// How far a benchmark's events have got, read from Kafka: cheap to ask every few milliseconds,
// unlike a count(*) of the tables being written, which scans them and takes CPU from what is
// being timed.
import type { KafkaConnection } from '@implant-trace/platform-messaging';

export type TopicAdmin = ReturnType<KafkaConnection['admin']>;

/** Messages on the topic now, over all its partitions. */
export async function messagesOnTopic(admin: TopicAdmin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce(
    (sum, partition) => sum + Number(partition.high) - Number(partition.low),
    0,
  );
}

/** Messages the group has committed on the topic: applied, for consumers that commit after. */
export async function committedBy(
  admin: TopicAdmin,
  groupId: string,
  topic: string,
): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return (offsets?.partitions ?? []).reduce(
    (sum, partition) => sum + Math.max(0, Number(partition.offset)),
    0,
  );
}
