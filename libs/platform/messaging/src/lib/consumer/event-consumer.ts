import type { EventDefinition, TopicDefinition } from '@implant-trace/contracts';
import { deadLetterTopicOf } from '@implant-trace/contracts';
import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';

import type { MessageHeaders } from '../broker/cloud-event-headers';
import type { KafkaConnection } from '../broker/kafka-connection';
import { stringHeaders } from '../broker/kafka-headers';
import type { DecodeResult } from './decode-message';
import { decodeMessage } from './decode-message';
import type { EventHandler } from './event-handler';
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
  maxBackoffMs?: number;
  onError?: (error: unknown) => void;
  /** Messages behind the partition's end after each fetched batch, for the lag metric. */
  onLag?: (topic: string, partition: number, lag: number) => void;
}

export interface EventConsumerStats {
  applied: number;
  duplicates: number;
  deadLettered: number;
}

interface Decoded {
  message: KafkaMessage;
  headers: MessageHeaders;
  result: DecodeResult;
}

type AppliedEvent = Extract<DecodeResult, { kind: 'event' }>;

/**
 * Consumes events at least once and applies each exactly once in effect: the handler's
 * effect and the event id (inbox) commit in one transaction, and the offset is committed
 * only after that. A message that can never be applied goes to `<topic>.dlq` with the
 * reason and the partition moves on; a transient failure is retried with capped backoff,
 * keeping the message and the consumer's heartbeat.
 */
export class EventConsumer {
  readonly stats: EventConsumerStats = { applied: 0, duplicates: 0, deadLettered: 0 };
  private readonly handlers = new Map<string, EventHandler<object>>();
  private readonly maxTransactionSize: number;
  private readonly maxBackoffMs: number;
  private consumer: Consumer | undefined;
  private deadLetterProducer: Producer | undefined;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaConnection,
    private readonly options: EventConsumerOptions,
  ) {
    this.maxTransactionSize = options.maxTransactionSize ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  on<P extends object>(definition: EventDefinition<P>, handler: EventHandler<P>): this {
    this.handlers.set(definition.type, handler as EventHandler<object>);
    return this;
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.deadLetterProducer = this.kafka.idempotentProducer();
    await this.deadLetterProducer.connect();
    this.consumer = this.kafka.consumer(this.options.groupId);
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.options.topics.map((t) => t.name),
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.consumeBatch(payload),
    });
  }

  /** Finishes the transaction in progress, commits what was applied, abandons the rest. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
    await this.deadLetterProducer?.disconnect();
    this.consumer = undefined;
    this.deadLetterProducer = undefined;
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    this.options.onLag?.(batch.topic, batch.partition, Number(batch.offsetLag()));
    const decoded: Decoded[] = batch.messages.map((message) => {
      const headers = stringHeaders(message.headers);
      return { message, headers, result: decodeMessage(headers, message.value) };
    });
    let index = 0;
    while (index < decoded.length) {
      if (this.stopping || !isRunning() || isStale()) return;
      const segment = this.nextSegment(decoded, index);
      const first = segment[0];
      if (first === undefined) return;
      if (first.result.kind === 'poison') {
        await this.withRetry(heartbeat, () =>
          this.deadLetter(batch.topic, batch.partition, first, this.reasonOf(first.result)),
        );
      } else {
        await this.apply(batch.topic, batch.partition, segment, heartbeat);
      }
      const last = segment[segment.length - 1] ?? first;
      resolveOffset(last.message.offset);
      await this.commit(batch.topic, batch.partition, last.message.offset);
      index += segment.length;
    }
  }

  /** A run of valid events (up to one transaction's worth), or a single poison message. */
  private nextSegment(decoded: Decoded[], start: number): Decoded[] {
    const first = decoded[start];
    if (first === undefined || first.result.kind === 'poison') return first ? [first] : [];
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

  private async apply(
    topic: string,
    partition: number,
    segment: Decoded[],
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    try {
      await this.withRetry(heartbeat, () => this.applyInTransaction(topic, partition, segment));
    } catch (error) {
      if (!(error instanceof PermanentEventError)) throw error;
      if (segment.length === 1 && segment[0] !== undefined) {
        await this.withRetry(heartbeat, () =>
          this.deadLetter(
            topic,
            partition,
            segment[0] as Decoded,
            `handler refused: ${error.message}`,
          ),
        );
        return;
      }
      // Isolate the event the handler refuses; the others in its transaction still apply.
      for (const single of segment) await this.apply(topic, partition, [single], heartbeat);
    }
  }

  private async applyInTransaction(topic: string, partition: number, segment: Decoded[]) {
    const events = segment.map((d) => ({
      ...(d.result as AppliedEvent),
      offset: d.message.offset,
    }));
    let applied = 0;
    await this.dataSource.transaction(async (tx) => {
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
      for (const { envelope } of events) {
        if (!fresh.delete(envelope.id)) continue;
        const handler = this.handlers.get(envelope.type);
        if (handler !== undefined) await handler(envelope, tx);
        applied += 1;
      }
    });
    this.stats.applied += applied;
    this.stats.duplicates += events.length - applied;
  }

  private reasonOf(result: DecodeResult): string {
    return result.kind === 'poison' ? result.reason : 'not poison';
  }

  private async deadLetter(topic: string, partition: number, item: Decoded, reason: string) {
    if (this.deadLetterProducer === undefined) throw new Error('EventConsumer is not started');
    await this.deadLetterProducer.send({
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
    this.stats.deadLettered += 1;
  }

  private async commit(topic: string, partition: number, offset: string): Promise<void> {
    await this.consumer?.commitOffsets([
      { topic, partition, offset: (BigInt(offset) + 1n).toString() },
    ]);
  }

  /**
   * Retries a transient failure (database or broker down) with capped exponential backoff,
   * heart-beating meanwhile so the group does not give the partition away. A permanent
   * failure is rethrown at once; stopping abandons the message, which is redelivered later.
   */
  private async withRetry(heartbeat: () => Promise<void>, work: () => Promise<void>) {
    for (let attempt = 0; ; attempt += 1) {
      const beat = setInterval(() => void heartbeat().catch(() => undefined), 2_000);
      try {
        await work();
        return;
      } catch (error) {
        if (error instanceof PermanentEventError) throw error;
        this.options.onError?.(error);
        if (this.stopping) throw error;
        await new Promise((r) => setTimeout(r, Math.min(this.maxBackoffMs, 100 * 2 ** attempt)));
      } finally {
        clearInterval(beat);
      }
    }
  }
}
