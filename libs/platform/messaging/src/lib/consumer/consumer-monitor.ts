import type { PlatformMetrics, ReadinessRegistry } from '@implant-trace/platform-observability';
import { Counter, Gauge } from 'prom-client';

import type { EventConsumer } from './event-consumer';

const PARTITION_LABELS = ['group', 'topic', 'partition'] as const;

/**
 * What the service's consumers report outside: retries, paused partitions and the age of
 * the oldest unapplied event as Prometheus metrics, and `degraded` in `/health` while any
 * partition is held back, so a handler that keeps failing is seen rather than silent.
 */
export class ConsumerMonitor {
  private readonly consumers = new Set<EventConsumer>();
  private readonly retries: Counter<(typeof PARTITION_LABELS)[number]>;
  private readonly replacements: Counter<'group'>;

  constructor(metrics: PlatformMetrics, readiness: ReadinessRegistry) {
    const registers = [metrics.registry];
    const consumers = this.consumers;
    this.retries = new Counter({
      name: 'kafka_consumer_retries_total',
      help: 'Failed applications of events whose partition was paused and retried after a backoff',
      labelNames: PARTITION_LABELS,
      registers,
    });
    this.replacements = new Counter({
      name: 'kafka_consumer_replaced_total',
      help: 'Kafka consumers replaced after an offset commit failed or kafkajs crashed for good',
      labelNames: ['group'],
      registers,
    });
    new Gauge({
      name: 'kafka_consumer_partition_paused',
      help: 'Partitions held back (paused, retried on a timer) by an event that keeps failing',
      labelNames: PARTITION_LABELS,
      registers,
      collect() {
        this.reset();
        for (const consumer of consumers) {
          for (const held of consumer.heldPartitions()) {
            this.set(labelsOf(consumer, held), 1);
          }
        }
      },
    });
    new Gauge({
      name: 'kafka_consumer_oldest_unapplied_event_age_seconds',
      help: 'Per partition, seconds the oldest fetched, unapplied event has been in Kafka (0: none)',
      labelNames: PARTITION_LABELS,
      registers,
      collect() {
        this.reset();
        const now = Date.now();
        for (const consumer of consumers) {
          for (const pending of consumer.unappliedSince()) {
            const age = pending.since === undefined ? 0 : now - pending.since.getTime();
            this.set(labelsOf(consumer, pending), Math.max(0, age) / 1000);
          }
        }
      },
    });
    readiness.register('consumers', async () => {
      const pausedPartitions = [...consumers].flatMap((consumer) =>
        consumer.heldPartitions().map((held) => ({
          group: consumer.groupId,
          topic: held.topic,
          partition: held.partition,
          offset: held.offset,
          since: held.since.toISOString(),
          failedAttempts: held.failedAttempts,
          error: held.error,
        })),
      );
      return pausedPartitions.length > 0 ? { degraded: { pausedPartitions } } : undefined;
    });
  }

  watch(consumer: EventConsumer): void {
    this.consumers.add(consumer);
  }

  recordRetry(group: string, topic: string, partition: number): void {
    this.retries.inc({ group, topic, partition: String(partition) });
  }

  recordConsumerReplaced(group: string): void {
    this.replacements.inc({ group });
  }
}

function labelsOf(consumer: EventConsumer, at: { topic: string; partition: number }) {
  return { group: consumer.groupId, topic: at.topic, partition: String(at.partition) };
}
