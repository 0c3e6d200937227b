import type { TopicDefinition } from '@implant-trace/contracts';
import { deadLetterTopicOf } from '@implant-trace/contracts';

import type { KafkaConnection } from '../broker/kafka-connection';

/**
 * Creates the topics a service owns (and their dead-letter topics) with the contract's
 * partitions and settings. Idempotent: existing topics are left as they are, and a topic
 * with fewer partitions than the contract says is grown to it.
 */
export async function provisionTopics(
  kafka: KafkaConnection,
  topics: readonly TopicDefinition[],
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const wanted = topics.flatMap((topic) => [
      { topic: topic.name, numPartitions: topic.partitions, config: topic.config },
      { topic: deadLetterTopicOf(topic.name), numPartitions: 1, config: {} },
    ]);
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.topic,
          numPartitions: t.numPartitions,
          replicationFactor: -1,
          configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    const present = wanted.filter((t) => existing.has(t.topic));
    if (present.length > 0) {
      const metadata = await admin.fetchTopicMetadata({ topics: present.map((t) => t.topic) });
      const grow = metadata.topics
        .map((m) => ({
          topic: m.name,
          count: wanted.find((t) => t.topic === m.name)?.numPartitions ?? 0,
          now: m.partitions.length,
        }))
        .filter((t) => t.count > t.now);
      if (grow.length > 0) {
        await admin.createPartitions({
          topicPartitions: grow.map(({ topic, count }) => ({ topic, count })),
        });
      }
    }
    return missing.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
}
