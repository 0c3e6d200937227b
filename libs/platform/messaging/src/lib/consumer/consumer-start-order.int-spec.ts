import { deadLetterTopicOf } from '@implant-trace/contracts';
import { uniqueName, waitFor } from '@implant-trace/platform-testing';

import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { EventPublisher } from '../outbox/event-publisher';
import { OutboxRelay } from '../outbox/outbox-relay';
import { EventConsumer } from './event-consumer';

describe('a consumer started before the owner of its topic', () => {
  const bed = new MessagingTestBed(3);
  const publisher = new EventPublisher('it-messaging', bed.outbox);

  beforeAll(async () => {
    await bed.setUp({ withTopic: false });
  });

  afterAll(async () => {
    await bed.tearDown();
  });

  async function partitionsOf(topics: string[]): Promise<Record<string, number | undefined>> {
    const admin = bed.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const present = topics.filter((topic) => existing.has(topic));
      const metadata =
        present.length === 0 ? { topics: [] } : await admin.fetchTopicMetadata({ topics: present });
      return Object.fromEntries(
        topics.map((topic) => [
          topic,
          metadata.topics.find((m) => m.name === topic)?.partitions.length,
        ]),
      );
    } finally {
      await admin.disconnect();
    }
  }

  it('creates the topic from its contract and applies what the owner publishes later, once each', async () => {
    const deadLetters = deadLetterTopicOf(bed.topic.name);
    // The fault: no service has created the topic yet.
    expect(await partitionsOf([bed.topic.name, deadLetters])).toEqual({
      [bed.topic.name]: undefined,
      [deadLetters]: undefined,
    });
    const consumer = new EventConsumer(bed.dataSource, bed.kafka, {
      groupId: uniqueName('it-start-order'),
      topics: [bed.topic],
    }).on(bed.event, (event, tx) =>
      MessagingTestBed.recordEffect(tx, event.id, event.data.implantId),
    );
    await consumer.start();
    const relay = new OutboxRelay(bed.outbox, bed.kafka, { relayId: 'relay-start-order' });
    try {
      expect(await partitionsOf([bed.topic.name, deadLetters])).toEqual({
        [bed.topic.name]: bed.topic.partitions,
        [deadLetters]: 1,
      });
      await relay.start();
      await bed.publishCommitted(publisher, 20);
      await waitFor(async () => (await bed.effectCounts()).total >= 20, {
        timeoutMs: 60_000,
        description: 'the 20 events to be applied',
      });
      expect(await bed.effectCounts()).toEqual({ total: 20, distinct: 20 });
    } finally {
      await relay.stop();
      await consumer.stop();
    }
  });

  it('starts, with the service that owns the topic starting at the same moment, in every service', async () => {
    const fresh = new MessagingTestBed(3);
    await fresh.setUp({ withTopic: false });
    const consumers = Array.from({ length: 4 }, (_, index) =>
      new EventConsumer(fresh.dataSource, fresh.kafka, {
        groupId: uniqueName(`it-start-race-${index}`),
        topics: [fresh.topic],
      }).on(fresh.event, (event, tx) =>
        MessagingTestBed.recordEffect(tx, event.id, event.data.implantId),
      ),
    );
    try {
      const started = await Promise.allSettled(consumers.map((consumer) => consumer.start()));
      expect(started.map((result) => result.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'fulfilled',
        'fulfilled',
      ]);
    } finally {
      for (const consumer of consumers) await consumer.stop();
      await fresh.tearDown();
    }
  });
});
