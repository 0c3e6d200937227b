import type { Consumer } from 'kafkajs';

import { testInfrastructure, uniqueName, waitFor } from '@implant-trace/platform-testing';

import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { KafkaConnection } from '../broker/kafka-connection';
import { EventConsumer } from './event-consumer';

/**
 * The first consumer this connection makes never hears back from its offset commits, as kafkajs
 * never did once the broker coordinating the group had died and come back (KL-19); the ones
 * after it are real. The cluster test in kafka-cluster-failover.int-spec.ts kills the broker.
 */
class CommitsUnansweredOnce extends KafkaConnection {
  readonly unanswered: unknown[] = [];
  private made = 0;

  override consumer(groupId: string): Consumer {
    const consumer = super.consumer(groupId);
    if (this.made++ > 0) return consumer;
    return {
      ...consumer,
      commitOffsets: (offsets) => {
        this.unanswered.push(offsets);
        return new Promise<void>(() => undefined);
      },
    };
  }
}

describe('a consumer whose offset commit is never answered', () => {
  const bed = new MessagingTestBed(1);

  beforeAll(async () => {
    await bed.setUp();
  });

  afterAll(async () => {
    await bed.tearDown();
  });

  const explants = (count: number) =>
    Array.from({ length: count }, () => MessagingTestBed.message(bed.event, bed.payload()));

  it('replaces its Kafka consumer and goes on, applying each event once', async () => {
    const kafka = new CommitsUnansweredOnce({
      brokers: testInfrastructure().kafkaBrokers,
      clientId: 'it-commit-stall',
    });
    const consumer = new EventConsumer(bed.dataSource, kafka, {
      groupId: uniqueName('it-commit-stall'),
      topics: [bed.topic],
      commitTimeoutMs: 2_000,
    }).on(bed.event, (event, tx) =>
      MessagingTestBed.recordEffect(tx, event.id, event.data.implantId),
    );
    await consumer.start();
    try {
      await bed.producer.send({ topic: bed.topic.name, acks: -1, messages: explants(5) });
      await waitFor(() => kafka.unanswered.length > 0, {
        description: 'the first commit to go unanswered',
      });
      expect(consumer.stats.applied).toBe(5);

      await bed.producer.send({ topic: bed.topic.name, acks: -1, messages: explants(5) });
      await waitFor(async () => (await bed.effectCounts()).distinct === 10, {
        timeoutMs: 60_000,
        description: 'the events sent after the stalled commit to be applied',
      });
      expect(kafka.unanswered).toHaveLength(1);
      expect(consumer.stats).toMatchObject({ applied: 10, duplicates: 5, consumersReplaced: 1 });
      expect(await bed.effectCounts()).toEqual({ total: 10, distinct: 10 });
    } finally {
      await consumer.stop();
    }
  });
});
