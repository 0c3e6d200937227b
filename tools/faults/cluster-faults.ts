// The faults only a cluster can show (`npm run test:faults -- --cluster`): the leader of the
// busiest partition SIGKILLed mid-stream (a new leader must be elected while the outbox relays
// produce and the services consume), then two of the three nodes at once (fewer replicas than
// min.insync.replicas, and no controller quorum: producers must wait, losing and reordering
// nothing, until the nodes are back).
import { IMPLANTS_TOPIC, MATCHES_TOPIC } from '@implant-trace/contracts';
import { type KafkaConnection, partitionPlacements } from '@implant-trace/platform-messaging';
import { type ClusterNode, type OwnTestCluster, waitFor } from '@implant-trace/platform-testing';

import { type Fault, listening, pause } from './fault';
import type { PlatformUnderTest, ServiceName } from './platform-under-test';
import { outboxBacklog } from './sent-log';

const BUSY_TOPICS = [IMPLANTS_TOPIC.name, MATCHES_TOPIC.name];
const NODES: readonly ClusterNode[] = [1, 2, 3];
/** How long the offsets are watched to find the busiest partition. */
const SAMPLE_MS = 3_000;
/** How long two nodes stay down while the load goes on. */
const TWO_DOWN_MS = 10_000;
/** Sends in flight when the nodes died may still be answered this long after. */
const IN_FLIGHT_GRACE_MS = 1_000;
export const OUTBOX_OWNERS: readonly ServiceName[] = ['implant-events', 'recall-matching'];

interface BusyPartition {
  topic: string;
  partition: number;
  writes: number;
}

async function endOffsets(kafka: KafkaConnection): Promise<Map<string, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<string, number>();
    for (const topic of BUSY_TOPICS) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        ends.set(`${topic}\u0000${p.partition}`, Number(p.high));
      }
    }
    return ends;
  } finally {
    await admin.disconnect();
  }
}

/** The partition of the loaded topics that took the most writes in the last few seconds. */
async function busiestPartition(kafka: KafkaConnection): Promise<BusyPartition> {
  const before = await endOffsets(kafka);
  await pause(SAMPLE_MS);
  const after = await endOffsets(kafka);
  const ranked = [...after].map(([id, end]) => {
    const [topic = '', partition = '0'] = id.split('\u0000');
    return { topic, partition: Number(partition), writes: end - (before.get(id) ?? 0) };
  });
  ranked.sort((a, b) => b.writes - a.writes);
  const busiest = ranked[0];
  if (busiest === undefined || busiest.writes === 0) {
    throw new Error('no partition of the loaded topics took a write: is the load running?');
  }
  return busiest;
}

async function leaderOf(kafka: KafkaConnection, busy: BusyPartition): Promise<number> {
  const placements = await partitionPlacements(kafka, busy.topic).catch(() => []);
  return placements.find((p) => p.partition === busy.partition)?.leader ?? -1;
}

/** Every partition of the loaded topics has all three replicas in sync again. */
async function untilWhole(kafka: KafkaConnection): Promise<void> {
  await waitFor(
    async () => {
      const placements = await Promise.all(
        BUSY_TOPICS.map((topic) => partitionPlacements(kafka, topic).catch(() => [])),
      );
      return placements.every(
        (partitions) =>
          partitions.length > 0 && partitions.every((p) => p.inSync.length === NODES.length),
      );
    },
    { timeoutMs: 120_000, intervalMs: 500, description: 'every replica to be in sync again' },
  );
}

/** The publishing services' outboxes together: what waits, and what was sent in a window. */
async function outboxCounts(
  platform: PlatformUnderTest,
  from: number,
  until: number,
): Promise<{ waiting: number; waitingFromBefore: number; published: number }> {
  const totals = { waiting: 0, waitingFromBefore: 0, published: 0 };
  for (const owner of OUTBOX_OWNERS) {
    const backlog = await outboxBacklog(platform.schemas[owner], from, until);
    totals.waiting += backlog.waiting;
    totals.waitingFromBefore += backlog.waitingFromBefore;
    totals.published += backlog.sent;
  }
  return totals;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function clusterFaults(
  platform: PlatformUnderTest,
  cluster: OwnTestCluster,
  kafka: KafkaConnection,
): Fault[] {
  return [
    {
      name: 'SIGKILL the leader of the busiest partition mid-stream (leader election)',
      inject: async () => {
        const busy = await busiestPartition(kafka);
        const leader = (await leaderOf(kafka, busy)) as ClusterNode;
        await cluster.kill(leader);
        const killedAt = Date.now();
        const refused = !(await listening(cluster.brokerOf(leader)));
        let elected = -1;
        await waitFor(
          async () => {
            elected = await leaderOf(kafka, busy);
            return elected >= 0 && elected !== leader;
          },
          { timeoutMs: 60_000, intervalMs: 200, description: 'a new leader to be elected' },
        );
        const electedIn = Date.now() - killedAt;
        await cluster.restart(leader);
        await untilWhole(kafka);
        const where = `${busy.topic}[${busy.partition}] (${busy.writes} writes in ${seconds(SAMPLE_MS)})`;
        return refused
          ? `node ${leader}, leader of ${where}, refused connections; node ${elected} led it ${seconds(electedIn)} later`
          : `node ${leader}, leader of ${where}, still answered`;
      },
      recover: () => platform.untilAllHealthy(),
    },
    {
      name: 'SIGKILL two of the three nodes at once (producers must wait), then start them',
      inject: async () => {
        const busy = await busiestPartition(kafka);
        const leader = (await leaderOf(kafka, busy)) as ClusterNode;
        const killed: ClusterNode[] = [leader, NODES.find((n) => n !== leader) ?? 1];
        const before = await outboxCounts(platform, 0, 0);
        await cluster.kill(...killed);
        const killedAt = Date.now();
        const refused = (
          await Promise.all(killed.map((n) => listening(cluster.brokerOf(n))))
        ).every((answered) => !answered);
        await pause(TWO_DOWN_MS);
        const down = await outboxCounts(platform, killedAt + IN_FLIGHT_GRACE_MS, Date.now());
        const restartingAt = Date.now();
        await cluster.restart(...killed);
        const backIn = Date.now() - restartingAt;
        await waitFor(
          async () => (await outboxCounts(platform, 0, restartingAt)).waitingFromBefore === 0,
          { timeoutMs: 120_000, intervalMs: 500, description: 'the outbox backlog to drain' },
        );
        const drainedIn = Date.now() - restartingAt;
        await untilWhole(kafka);
        const nodes = `nodes ${killed.join(' and ')}`;
        if (!refused) return `${nodes}: one still answered`;
        if (down.published > 0) {
          return `${nodes} refused connections, but ${down.published} events still reached Kafka`;
        }
        return (
          `${nodes} refused connections; in ${seconds(TWO_DOWN_MS)} down no event reached Kafka, ` +
          `outbox backlog ${before.waiting} -> ${down.waiting}; started again, both served ` +
          `${seconds(backIn)} later and the backlog was drained ${seconds(drainedIn)} later`
        );
      },
      recover: () => platform.untilAllHealthy(),
    },
  ];
}
