import type { TopicDefinition } from '@implant-trace/contracts';
import { deadLetterTopicOf } from '@implant-trace/contracts';
import type { Admin, ITopicMetadata } from 'kafkajs';

import type { KafkaConnection } from '../broker/kafka-connection';

/** An owned topic exists with another partition count than its contract gives. */
export class TopicPartitionMismatchError extends Error {
  constructor(readonly mismatches: readonly { topic: string; expected: number; actual: number }[]) {
    super(
      `refusing to start: ${mismatches
        .map((m) => `topic ${m.topic} has ${m.actual} partitions, its contract says ${m.expected}`)
        .join('; ')}. A keyed topic's partition count is never changed in place: it would send ` +
        `keys to other partitions (per-key order lost, two latest records for a key on a ` +
        `compacted topic). Publish a new topic version instead, or fix the contract.`,
    );
    this.name = 'TopicPartitionMismatchError';
  }
}

/**
 * Creates the topics a service owns or consumes (and their dead-letter topics) with the
 * contract's partitions and settings, replicated as the deployment says (the cluster's defaults
 * where it says nothing: one replica on the dev node). Idempotent: existing topics are left as they are; a topic
 * whose partition count differs from its contract stops the start-up, since keys are
 * partitioned by the count and changing it reorders every key's history.
 */
export async function provisionTopics(
  kafka: KafkaConnection,
  topics: readonly TopicDefinition[],
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  const { factor = -1, minInsyncReplicas } = kafka.replication;
  const durability: Record<string, string> =
    minInsyncReplicas === undefined ? {} : { 'min.insync.replicas': String(minInsyncReplicas) };
  try {
    const wanted = topics.flatMap((topic) => [
      {
        topic: topic.name,
        numPartitions: topic.partitions,
        config: { ...durability, ...topic.config },
      },
      { topic: deadLetterTopicOf(topic.name), numPartitions: 1, config: durability },
    ]);
    const existing = new Set(await admin.listTopics());
    const keyedPresent = topics.filter((t) => existing.has(t.name));
    if (keyedPresent.length > 0) {
      // Read through the same wait: a topic another service created a moment ago may be
      // unknown yet to the node asked (UNKNOWN_TOPIC_OR_PARTITION on a cluster).
      const described = await untilLed(
        admin,
        keyedPresent.map((t) => t.name),
      );
      const mismatches = keyedPresent
        .map((t) => ({
          topic: t.name,
          expected: t.partitions,
          actual: described.find((m) => m.name === t.name)?.partitions.length ?? 0,
        }))
        .filter((m) => m.actual !== m.expected);
      if (mismatches.length > 0) throw new TopicPartitionMismatchError(mismatches);
    }
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      // kafkajs's own wait asks the broker it created them on, which in a cluster may not
      // know them yet and answers UNKNOWN_TOPIC_OR_PARTITION: kafkajs gives up at once and the
      // service fails to start. untilLed below waits through that.
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((t) => ({
          topic: t.topic,
          numPartitions: t.numPartitions,
          replicationFactor: factor,
          configEntries: Object.entries(t.config).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    // Another service may have created a topic a moment ago, and a consumer that subscribes
    // before the leaders are elected fails.
    await untilLed(
      admin,
      wanted.map((t) => t.topic),
    );
    return missing.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
}

const LEADER_WAIT_MS = 30_000;

/** Waits until every partition of `topics` has a leader; answers their metadata then. */
async function untilLed(admin: Admin, topics: string[]): Promise<ITopicMetadata[]> {
  const deadline = Date.now() + LEADER_WAIT_MS;
  for (;;) {
    const described = await admin.fetchTopicMetadata({ topics }).then(
      (metadata) => metadata.topics,
      () => [],
    );
    const leaderless = topics.filter((name) => {
      const partitions = described.find((t) => t.name === name)?.partitions ?? [];
      return partitions.length === 0 || partitions.some((p) => p.leader < 0);
    });
    if (leaderless.length === 0) return described;
    if (Date.now() >= deadline) {
      throw new Error(
        `topics without a leader after ${LEADER_WAIT_MS} ms: ${leaderless.join(', ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
