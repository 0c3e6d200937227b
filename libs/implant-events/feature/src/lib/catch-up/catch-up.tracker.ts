import type { OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';

import type { TopicDefinition } from '@implant-trace/contracts';
import { systemClock } from '@implant-trace/domain-kernel';
import { DEVICES_TOPIC, RECALLS_TOPIC } from '@implant-trace/contracts';
import type { EventConsumer } from '@implant-trace/platform-messaging';
import { InboxTransport, KafkaConnection } from '@implant-trace/platform-messaging';
import { ReadinessRegistry } from '@implant-trace/platform-observability';

import { IMPLANT_EVENTS_OPTIONS, type ImplantEventsOptions } from '../implant-events.options';
import { eventsBehind, type PartitionProgress } from './catch-up.policy';

const POLL_MS = 250;
/** An event fetched and still unapplied after this long means the consumer is stuck on it. */
export const STUCK_AFTER_MS = 2_000;

interface Tracked {
  topic: TopicDefinition;
  what: string;
  /** Per partition, its low offset and end offset when the service started. */
  ends: Map<number, { low: string; end: string }> | undefined;
  doubt: string | undefined;
}

/**
 * Knows whether the catalogue replica and the recall index have consumed everything their
 * topics held when this process started. Until each has, a scan cannot be `OK`: a device
 * registered or a recall issued while the service was down may not be applied yet. The end
 * offsets are read once, before the consumers start; what the consumer group commits (after
 * each effect) is then compared with them.
 */
@Injectable()
export class CatchUpTracker implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CatchUpTracker');
  private readonly admin;
  private readonly tracked: Tracked[] = [
    { topic: DEVICES_TOPIC, what: 'the catalogue replica', ends: undefined, doubt: undefined },
    { topic: RECALLS_TOPIC, what: 'the recall index', ends: undefined, doubt: undefined },
  ];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(KafkaConnection) kafka: KafkaConnection,
    @Inject(IMPLANT_EVENTS_OPTIONS) private readonly options: ImplantEventsOptions,
    @Inject(InboxTransport) private readonly transport: InboxTransport,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
  ) {
    this.admin = kafka.admin();
    for (const tracked of this.tracked) tracked.doubt = `${tracked.what} has not started`;
  }

  /**
   * Why a scan cannot be `OK` now: still catching up after the start, or, once caught up, an
   * event of either topic that the consumer keeps failing to apply or has been stuck on (the
   * replica or the index is then stale by that event).
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

  /** Operators see why scans answer UNVERIFIED; the service still serves (degraded). */
  onModuleInit(): void {
    this.readiness.register(
      'scanIndex',
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
    await this.admin.disconnect();
  }

  private async check(): Promise<void> {
    try {
      await this.admin.connect();
      for (const tracked of this.tracked) {
        if (tracked.ends === undefined || tracked.doubt !== undefined) await this.follow(tracked);
      }
    } catch (error) {
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

  private async follow(tracked: Tracked): Promise<void> {
    const name = tracked.topic.name;
    if (tracked.ends === undefined) {
      const offsets = await this.admin.fetchTopicOffsets(name);
      tracked.ends = new Map(offsets.map((o) => [o.partition, { low: o.low, end: o.high }]));
    }
    const [group] = await this.admin.fetchOffsets({
      groupId: this.options.consumerGroupId ?? this.options.serviceName,
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
