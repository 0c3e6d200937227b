import type { EventDefinition, EventEnvelope, TopicDefinition } from '@implant-trace/contracts';
import { deadLetterTopicOf } from '@implant-trace/contracts';
import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';

import type { MessageHeaders } from '../broker/cloud-event-headers';
import type { KafkaConnection } from '../broker/kafka-connection';
import { provisionTopics } from '../topics/topic-provisioner';
import { stringHeaders } from '../broker/kafka-headers';
import type { DecodeResult } from './decode-message';
import { decodeMessage } from './decode-message';
import type { EventBatchHandler, EventHandler } from './event-handler';
import { PermanentEventError } from './event-handler';

export interface EventConsumerOptions {
  /** Kafka consumer group, and this consumer's name in the inbox. */
  groupId: string;
  topics: readonly TopicDefinition[];
  fromBeginning?: boolean;
  /** Messages applied in one database transaction. */
  maxTransactionSize?: number;
  /** Partitions applied in parallel (order is per partition, so this keeps it). */
  partitionsConsumedConcurrently?: number;
  /** First wait before a held partition is retried; it doubles up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  onError?: (error: unknown) => void;
  /** Messages behind the partition's end after each fetched batch, for the lag metric. */
  onLag?: (topic: string, partition: number, lag: number) => void;
  /** A failed application whose partition is paused and retried after a backoff. */
  onRetry?: (topic: string, partition: number, error: unknown) => void;
  /** How long an offset commit may take before the Kafka consumer is replaced. */
  commitTimeoutMs?: number;
  /** The Kafka consumer replaced after a failed commit or a crash kafkajs does not recover. */
  onConsumerReplaced?: (error: unknown) => void;
}

export interface EventConsumerStats {
  applied: number;
  duplicates: number;
  deadLettered: number;
  /** Kafka consumers replaced after a failed commit or an unrecovered crash. */
  consumersReplaced: number;
}

/** A partition held back by an event that failed: paused, and retried on a backoff timer. */
export interface HeldPartition {
  topic: string;
  partition: number;
  /** The first offset not yet applied. */
  offset: string;
  since: Date;
  failedAttempts: number;
  /** The error's class only: messages may quote data, and health reports are public. */
  error: string;
}

/** When the oldest fetched but not yet applied event of a partition reached Kafka. */
export interface UnappliedSince {
  topic: string;
  partition: number;
  /** Undefined once everything fetched is applied. */
  since: Date | undefined;
}

interface Decoded {
  message: KafkaMessage;
  headers: MessageHeaders;
  result: DecodeResult;
}

type AppliedEvent = Extract<DecodeResult, { kind: 'event' }>;

interface Hold {
  topic: string;
  partition: number;
  offset: string;
  /** Offsets up to here are applied one per transaction, isolating the one that fails. */
  isolateThrough: bigint;
  since: Date;
  failedAttempts: number;
  error: unknown;
  resumeTimer: NodeJS.Timeout | undefined;
}

type RegisteredHandler =
  | { kind: 'each'; handle: EventHandler<object> }
  | { kind: 'batch'; handle: EventBatchHandler<object> };

/** Consecutive envelopes of one type, in order: a batch handler's unit of work. */
function runsOfOneType(envelopes: EventEnvelope<object>[]): EventEnvelope<object>[][] {
  const runs: EventEnvelope<object>[][] = [];
  for (const envelope of envelopes) {
    const run = runs[runs.length - 1];
    if (run !== undefined && run[0]?.type === envelope.type) run.push(envelope);
    else runs.push([envelope]);
  }
  return runs;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const partitionId = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * Consumes events at least once and applies each exactly once in effect: the handler's
 * effect and the event id (inbox) commit in one transaction, and the offset is committed
 * only after that. A message that can never be applied goes to `<topic>.dlq` with the
 * reason and the partition moves on. Any other failure (a handler bug, the database or the
 * dead-letter topic unreachable) pauses that partition alone and retries it on a backoff
 * timer: kafkajs fetches every partition of a broker together, so waiting inside the batch
 * would stall all of them.
 */
export class EventConsumer {
  readonly stats: EventConsumerStats = {
    applied: 0,
    duplicates: 0,
    deadLettered: 0,
    consumersReplaced: 0,
  };
  private readonly handlers = new Map<string, RegisteredHandler>();
  private readonly maxTransactionSize: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly commitTimeoutMs: number;
  private readonly holds = new Map<string, Hold>();
  private readonly unapplied = new Map<string, UnappliedSince>();
  private consumer: Consumer | undefined;
  private replacing: Promise<void> | undefined;
  private deadLetterProducer: Producer | undefined;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaConnection,
    private readonly options: EventConsumerOptions,
  ) {
    this.maxTransactionSize = options.maxTransactionSize ?? 200;
    this.initialBackoffMs = options.initialBackoffMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.commitTimeoutMs = options.commitTimeoutMs ?? 10_000;
  }

  get groupId(): string {
    return this.options.groupId;
  }

  on<P extends object>(definition: EventDefinition<P>, handler: EventHandler<P>): this {
    this.handlers.set(definition.type, { kind: 'each', handle: handler as EventHandler<object> });
    return this;
  }

  /** A handler of runs of the type's events (see {@link EventBatchHandler}). */
  onBatch<P extends object>(definition: EventDefinition<P>, handler: EventBatchHandler<P>): this {
    this.handlers.set(definition.type, {
      kind: 'batch',
      handle: handler as EventBatchHandler<object>,
    });
    return this;
  }

  async start(): Promise<void> {
    this.stopping = false;
    // Services start in any order: a consumer that comes up before the owner of a topic it reads
    // creates the topic (and its dead-letter topic) from the same contract, rather than fail on
    // a missing topic. Creation is idempotent and checks the contract's partition count.
    await provisionTopics(this.kafka, this.options.topics);
    this.deadLetterProducer = this.kafka.idempotentProducer();
    await this.deadLetterProducer.connect();
    await this.runConsumer();
  }

  /** Finishes the transaction in progress, commits what was applied, abandons the rest. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.replacing;
    this.forgetPartitions();
    await this.consumer?.disconnect();
    await this.deadLetterProducer?.disconnect();
    this.consumer = undefined;
    this.deadLetterProducer = undefined;
  }

  private async runConsumer(): Promise<void> {
    const consumer = this.kafka.consumer(this.options.groupId);
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
      this.forgetUnassigned(payload.memberAssignment),
    );
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.replaceConsumer(consumer, payload.error);
    });
    try {
      await consumer.connect();
      await consumer.subscribe({
        topics: this.options.topics.map((t) => t.name),
        fromBeginning: this.options.fromBeginning ?? true,
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
        eachBatch: (payload) => this.consumeBatch(payload, consumer),
      });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /**
   * kafkajs 2.2.4 sends every offset commit to the broker that was the group's coordinator when
   * the consumer joined: once that broker has died, it only reconnects to it, and once it is
   * back as a follower it retries NOT_COORDINATOR for ever (KL-19). A consumer that stops
   * consuming and does not crash is the one failure nobody sees, so a commit that fails or does
   * not answer in time, and a crash kafkajs does not restart from, replace the Kafka consumer:
   * the new one looks the coordinator up afresh and resumes from the last committed offset,
   * and the inbox absorbs what it applies again.
   */
  private replaceConsumer(failed: Consumer, error: unknown): void {
    if (this.stopping || this.consumer !== failed || this.replacing !== undefined) return;
    this.stats.consumersReplaced += 1;
    this.options.onConsumerReplaced?.(error);
    this.replacing = this.reconnect(failed).finally(() => {
      this.replacing = undefined;
    });
  }

  private async reconnect(failed: Consumer): Promise<void> {
    this.forgetPartitions();
    // Not awaited by the batch that failed: kafkajs's disconnect waits for that batch to end.
    await failed.disconnect().catch(() => undefined);
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.runConsumer();
        return;
      } catch (error) {
        this.options.onError?.(error);
        await pause(this.backoffOf(attempt));
      }
    }
  }

  private backoffOf(failedAttempts: number): number {
    return Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (failedAttempts - 1));
  }

  /** Partitions held back by a failing event, for health reports and metrics. */
  heldPartitions(): HeldPartition[] {
    return [...this.holds.values()].map((hold) => ({
      topic: hold.topic,
      partition: hold.partition,
      offset: hold.offset,
      since: hold.since,
      failedAttempts: hold.failedAttempts,
      error: hold.error instanceof Error ? hold.error.name : typeof hold.error,
    }));
  }

  /** Per partition consumed, the oldest event fetched and not yet applied. */
  unappliedSince(): UnappliedSince[] {
    return [...this.unapplied.values()];
  }

  private async consumeBatch(payload: EachBatchPayload, consumer: Consumer): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const { topic, partition } = batch;
    this.options.onLag?.(topic, partition, Number(batch.offsetLag()));
    const decoded: Decoded[] = batch.messages.map((message) => {
      const headers = stringHeaders(message.headers);
      return { message, headers, result: decodeMessage(headers, message.value) };
    });
    let index = 0;
    while (index < decoded.length) {
      if (this.stopping || !isRunning() || isStale()) return;
      const segment = this.nextSegment(topic, partition, decoded, index);
      const first = segment[0];
      const last = segment[segment.length - 1];
      if (first === undefined || last === undefined) return;
      this.unapplied.set(partitionId(topic, partition), {
        topic,
        partition,
        since: new Date(Number(first.message.timestamp)),
      });
      try {
        await this.withHeartbeat(heartbeat, () =>
          first.result.kind === 'poison'
            ? this.deadLetter(topic, partition, first, first.result.reason)
            : this.apply(topic, partition, segment),
        );
      } catch (error) {
        this.hold(consumer, topic, partition, segment, error);
        return;
      }
      resolveOffset(last.message.offset);
      if (!(await this.commit(consumer, topic, partition, last.message.offset))) return;
      this.release(topic, partition, last.message.offset);
      index += segment.length;
    }
    this.unapplied.set(partitionId(topic, partition), { topic, partition, since: undefined });
  }

  /**
   * A run of valid events (up to one transaction's worth), or a single poison message. While
   * a partition recovers from a failure, events go one per transaction, so everything before
   * the failing event applies and the hold names the event that fails.
   */
  private nextSegment(
    topic: string,
    partition: number,
    decoded: Decoded[],
    start: number,
  ): Decoded[] {
    const first = decoded[start];
    if (first === undefined || first.result.kind === 'poison') return first ? [first] : [];
    const hold = this.holds.get(partitionId(topic, partition));
    if (hold !== undefined && BigInt(first.message.offset) <= hold.isolateThrough) return [first];
    let end = start + 1;
    while (
      end < decoded.length &&
      end - start < this.maxTransactionSize &&
      decoded[end]?.result.kind === 'event'
    ) {
      end += 1;
    }
    return decoded.slice(start, end);
  }

  private async apply(topic: string, partition: number, segment: Decoded[]): Promise<void> {
    try {
      await this.applyInTransaction(topic, partition, segment);
    } catch (error) {
      if (!(error instanceof PermanentEventError)) throw error;
      if (segment.length === 1 && segment[0] !== undefined) {
        await this.deadLetter(topic, partition, segment[0], `handler refused: ${error.message}`);
        return;
      }
      // Isolate the event the handler refuses; the others in its transaction still apply.
      for (const single of segment) await this.apply(topic, partition, [single]);
    }
  }

  private async applyInTransaction(topic: string, partition: number, segment: Decoded[]) {
    const events = segment.map((d) => ({
      ...(d.result as AppliedEvent),
      offset: d.message.offset,
    }));
    const applied = await this.dataSource.transaction(async (tx) => {
      const inserted = (await tx.query(
        `INSERT INTO inbox (consumer, event_id, topic, kafka_partition, kafka_offset)
         SELECT $1, id, $3, $4, off FROM unnest($2::uuid[], $5::bigint[]) AS t(id, off)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [
          this.options.groupId,
          events.map((e) => e.envelope.id),
          topic,
          partition,
          events.map((e) => e.offset),
        ],
      )) as { event_id: string }[];
      const fresh = new Set(inserted.map((row) => row.event_id));
      // A redelivered copy within the segment is recorded once, so only its first one applies.
      const toApply = events
        .map((event) => event.envelope)
        .filter((envelope) => fresh.delete(envelope.id));
      for (const run of runsOfOneType(toApply)) {
        const handler = this.handlers.get(run[0]?.type ?? '');
        if (handler?.kind === 'batch') await handler.handle(run, tx);
        else if (handler?.kind === 'each') for (const event of run) await handler.handle(event, tx);
      }
      return toApply.length;
    });
    this.stats.applied += applied;
    this.stats.duplicates += events.length - applied;
  }

  private async deadLetter(topic: string, partition: number, item: Decoded, reason: string) {
    const producer = this.deadLetterProducer;
    if (producer === undefined) throw new Error('EventConsumer is not started');
    try {
      await producer.send({
        topic: deadLetterTopicOf(topic),
        acks: -1,
        messages: [
          {
            key: item.message.key,
            value: item.message.value,
            headers: {
              ...item.headers,
              dlq_reason: reason.slice(0, 4000),
              dlq_original_topic: topic,
              dlq_original_partition: String(partition),
              dlq_original_offset: item.message.offset,
              dlq_consumer_group: this.options.groupId,
              dlq_time: new Date().toISOString(),
            },
          },
        ],
      });
    } catch (error) {
      await this.replaceDeadLetterProducer(producer);
      throw error;
    }
    this.stats.deadLettered += 1;
  }

  /**
   * After a failed send the idempotent producer's sequence state may no longer match the
   * broker's (a restarted broker answers out-of-order-sequence for ever), so, as the outbox
   * relay does, a new producer with a new producer id takes over. A letter that did reach the
   * topic before the failure may appear twice there; re-driving it is absorbed by the inbox.
   */
  private async replaceDeadLetterProducer(failed: Producer): Promise<void> {
    if (this.deadLetterProducer !== failed || this.stopping) return;
    const replacement = this.kafka.idempotentProducer();
    this.deadLetterProducer = replacement;
    await failed.disconnect().catch(() => undefined);
    // A broker still down fails this connect; the next send connects again.
    await replacement.connect().catch(() => undefined);
  }

  /** False when the commit failed and the Kafka consumer is being replaced. */
  private async commit(
    consumer: Consumer,
    topic: string,
    partition: number,
    offset: string,
  ): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`offset commit unanswered after ${this.commitTimeoutMs} ms`)),
        this.commitTimeoutMs,
      );
    });
    try {
      const next = (BigInt(offset) + 1n).toString();
      await Promise.race([consumer.commitOffsets([{ topic, partition, offset: next }]), timeout]);
      return true;
    } catch (error) {
      this.options.onError?.(error);
      this.replaceConsumer(consumer, error);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Keeps the group from giving the partition away while a long effect runs. */
  private async withHeartbeat(heartbeat: () => Promise<void>, work: () => Promise<void>) {
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 2_000);
    try {
      await work();
    } finally {
      clearInterval(beat);
    }
  }

  /**
   * Pauses the partition and resumes it after a backoff; kafkajs then fetches it again from
   * the first unapplied offset (nothing after it was resolved). The other partitions go on.
   */
  private hold(
    consumer: Consumer,
    topic: string,
    partition: number,
    segment: Decoded[],
    error: unknown,
  ): void {
    this.options.onError?.(error);
    const first = segment[0];
    const last = segment[segment.length - 1];
    if (this.stopping || this.consumer !== consumer || !first || !last) return;
    const id = partitionId(topic, partition);
    const previous = this.holds.get(id);
    const failedAttempts = (previous?.failedAttempts ?? 0) + 1;
    const isolateThrough = BigInt(last.message.offset);
    const hold: Hold = {
      topic,
      partition,
      offset: first.message.offset,
      isolateThrough:
        previous && previous.isolateThrough > isolateThrough
          ? previous.isolateThrough
          : isolateThrough,
      since: previous?.since ?? new Date(),
      failedAttempts,
      error,
      resumeTimer: undefined,
    };
    this.holds.set(id, hold);
    this.options.onRetry?.(topic, partition, error);
    consumer.pause([{ topic, partitions: [partition] }]);
    hold.resumeTimer = setTimeout(() => {
      if (this.consumer === consumer) consumer.resume([{ topic, partitions: [partition] }]);
    }, this.backoffOf(failedAttempts));
  }

  /** The partition is healthy again once everything the failed segment held is applied. */
  private release(topic: string, partition: number, committedOffset: string): void {
    const id = partitionId(topic, partition);
    const hold = this.holds.get(id);
    if (hold === undefined || BigInt(committedOffset) < hold.isolateThrough) return;
    clearTimeout(hold.resumeTimer);
    this.holds.delete(id);
  }

  private forgetPartitions(): void {
    for (const hold of this.holds.values()) clearTimeout(hold.resumeTimer);
    this.holds.clear();
    this.unapplied.clear();
  }

  /** After a rebalance, partitions another member now owns are no longer ours to report. */
  private forgetUnassigned(assignment: Record<string, number[]>): void {
    const assigned = new Set(
      Object.entries(assignment).flatMap(([topic, partitions]) =>
        partitions.map((p) => partitionId(topic, p)),
      ),
    );
    for (const [id, hold] of this.holds) {
      if (assigned.has(id)) continue;
      clearTimeout(hold.resumeTimer);
      this.holds.delete(id);
    }
    for (const id of this.unapplied.keys()) if (!assigned.has(id)) this.unapplied.delete(id);
  }
}
