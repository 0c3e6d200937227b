import type { KafkaConnection } from '../broker/kafka-connection';

/** Where one partition lives: its leader, its replicas and those in sync, by node id. */
export interface PartitionPlacement {
  partition: number;
  /** -1 while the partition has no leader. */
  leader: number;
  replicas: number[];
  inSync: number[];
}

/** The placement of every partition of a topic, as the cluster's metadata shows it now. */
export async function partitionPlacements(
  kafka: KafkaConnection,
  topic: string,
): Promise<PartitionPlacement[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return (topics[0]?.partitions ?? [])
      .map((p) => ({
        partition: p.partitionId,
        leader: p.leader,
        replicas: p.replicas,
        inSync: p.isr,
      }))
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}
