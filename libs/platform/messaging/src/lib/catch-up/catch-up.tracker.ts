import type { OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import type { Admin } from 'kafkajs';

import type { TopicDefinition } from '@implant-trace/contracts';
import { systemClock } from '@implant-trace/domain-kernel';
import { withinDeadline, type ReadinessRegistry } from '@implant-trace/platform-observability';

import type { KafkaConnection } from '../broker/kafka-connection';
import type { EventConsumer } from '../consumer/event-consumer';
import type { InboxTransport } from '../transport/inbox.transport';
import { eventsBehind, type PartitionProgress } from './catch-up.policy';

const POLL_MS = 250;
/** An event fetched and still unapplied after this long means the consumer is stuck on it. */
export const STUCK_AFTER_MS = 2_000;
/**
 * How long one look at the offsets may take. kafkajs waits 30 s per request and then retries,
 * and an admin connected to a broker that died can keep asking it; past this the admin is
 * dropped and the next look starts with a new one, which finds the cluster afresh.
 */
export const FOLLOW_DEADLINE_MS = 5_000;

export interface CatchUpOptions {
  /** The consumer group of the service's `@EventPattern` handlers. */
  groupId: string;
  /** Each topic followed, and what the service builds from it ("the recall index"). */
  topics: readonly { topic: TopicDefinition; what: string }[];
  /** The readiness check's name; it reports degraded (never down) while a doubt stands. */
  readinessName: string;
}

interface Tracked {
  topic: TopicDefinition;
  what: string;
  /** Per partition, its low offset and end offset when the service started. */
  ends: Map<number, { low: string; end: string }> | undefined;
  doubt: string | undefined;
}

/**
 * Knows whether what a service builds from some topics (a replica, an index, a projection) has
 * consumed everything those topics held when this process started. Until it has, an answer
 * read from it may be missing an event that was published while the service was down. The end
 * offsets are read once, before the consumers start; what the consumer group commits (after
 * each effect) is then compared with them. Provide it with `useFactory` in the service's module.
 */
export class CatchUpTracker implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CatchUpTracker');
  /** Only while something is still to follow: once caught up, no connection is held. */
  private admin: Admin | undefined;
  private readonly tracked: Tracked[];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly kafka: KafkaConnection,
    private readonly transport: InboxTransport,
    private readonly readiness: ReadinessRegistry,
    private readonly options: CatchUpOptions,
  ) {
    this.tracked = options.topics.map(({ topic, what }) => ({
      topic,
      what,
      ends: undefined,
      doubt: `${what} has not started`,
    }));
  }

  /**
   * Why an answer read from what is built may be stale now: still catching up after the start,
   * or, once caught up, an event of a followed topic that the consumer keeps failing to apply or
   * has been stuck on.
   */
  doubts(): string[] {
    const doubts = this.tracked.flatMap((tracked) =>
      tracked.doubt === undefined ? [] : [tracked.doubt],
    );
    const consumer = this.consumer();
    if (consumer === undefined) return doubts;
    const whatOf = (topic: string) => this.tracked.find((t) => t.topic.name === topic)?.what;
    for (const held of consumer.heldPartitions()) {
      const what = whatOf(held.topic);
      if (what === undefined) continue;
      doubts.push(
        `${what} is held back at ${held.topic} partition ${held.partition} by an event that keeps failing`,
      );
    }
    // Kafka timestamps are wall-clock time, so they are compared with the machine's clock.
    const now = systemClock.now().getTime();
    for (const pending of consumer.unappliedSince()) {
      const what = whatOf(pending.topic);
      if (what === undefined || pending.since === undefined) continue;
      if (now - pending.since.getTime() < STUCK_AFTER_MS) continue;
      if (
        consumer
          .heldPartitions()
          .some((h) => h.topic === pending.topic && h.partition === pending.partition)
      )
        continue;
      doubts.push(
        `${what} has not yet applied an event of ${pending.topic} partition ${pending.partition}`,
      );
    }
    return doubts;
  }

  /** The consumer under the inbox transport, once it is listening. */
  private consumer(): EventConsumer | undefined {
    try {
      return this.transport.unwrap<EventConsumer>();
    } catch {
      return undefined;
    }
  }

  /** Operators see why answers are doubtful; the service still serves (degraded). */
  onModuleInit(): void {
    this.readiness.register(
      this.options.readinessName,
      () => {
        const reasons = this.doubts();
        return Promise.resolve(reasons.length === 0 ? undefined : { degraded: { reasons } });
      },
      { essential: false },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.check();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.dropAdmin();
  }

  /** Whether a Kafka admin connection is held: only until every topic has been caught up with. */
  get following(): boolean {
    return this.admin !== undefined;
  }

  private async check(): Promise<void> {
    if (this.stopped) return;
    const toFollow = this.tracked.filter((t) => t.ends === undefined || t.doubt !== undefined);
    try {
      if (toFollow.length > 0) {
        await withinDeadline(
          this.followAll(toFollow),
          FOLLOW_DEADLINE_MS,
          () => new Error(`no answer from Kafka within ${FOLLOW_DEADLINE_MS} ms`),
        );
      }
      if (this.tracked.every((t) => t.doubt === undefined)) await this.dropAdmin();
    } catch (error) {
      void this.dropAdmin();
      this.logger.warn(`cannot read the consumers' progress yet: ${String(error)}`);
      for (const tracked of this.tracked) {
        if (tracked.doubt !== undefined) {
          tracked.doubt = `${tracked.what} cannot tell whether it has caught up with ${tracked.topic.name}`;
        }
      }
    }
    if (!this.stopped && this.doubts().length > 0) {
      this.timer = setTimeout(() => void this.check(), POLL_MS);
    }
  }

  private async followAll(toFollow: Tracked[]): Promise<void> {
    let admin = this.admin;
    if (admin === undefined) {
      admin = this.kafka.admin();
      this.admin = admin;
      await admin.connect();
    }
    for (const tracked of toFollow) await this.follow(admin, tracked);
  }

  /** Not awaited where it fails: a hung admin may not disconnect either. */
  private async dropAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }

  private async follow(admin: Admin, tracked: Tracked): Promise<void> {
    const name = tracked.topic.name;
    if (tracked.ends === undefined) {
      const offsets = await admin.fetchTopicOffsets(name);
      tracked.ends = new Map(offsets.map((o) => [o.partition, { low: o.low, end: o.high }]));
    }
    const [group] = await admin.fetchOffsets({
      groupId: this.options.groupId,
      topics: [name],
    });
    const committed = new Map(group?.partitions.map((p) => [p.partition, p.offset]) ?? []);
    const progress: PartitionProgress[] = [...tracked.ends].map(([partition, { low, end }]) => ({
      partition,
      low,
      endAtStart: end,
      committed: committed.get(partition) ?? '-1',
    }));
    const behind = eventsBehind(progress);
    tracked.doubt =
      behind === 0
        ? undefined
        : `${tracked.what} is catching up with ${name} (${behind} events behind)`;
    if (tracked.doubt === undefined) this.logger.log(`${tracked.what} has caught up with ${name}`);
  }
}
