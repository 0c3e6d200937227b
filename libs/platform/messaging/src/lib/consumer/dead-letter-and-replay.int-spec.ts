import { uniqueName, waitFor } from '@implant-trace/platform-testing';

import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { EventPublisher } from '../outbox/event-publisher';
import { OutboxRelay } from '../outbox/outbox-relay';
import { redriveDeadLetters, rewindConsumerGroup } from '../replay/replay';
import { readTopic } from '../replay/topic-reader';
import { EventConsumer } from './event-consumer';
import { PermanentEventError } from './event-handler';

describe('poison messages, dead letters and replay', () => {
  const bed = new MessagingTestBed(1);
  const publisher = new EventPublisher('it-messaging', bed.outbox);
  const groupId = uniqueName('it-dlq-group');
  const refusedImplant = '0190f5a2-7c4e-7b1a-9f3e-00000000dead';
  let relay: OutboxRelay;

  const newConsumer = () =>
    new EventConsumer(bed.dataSource, bed.kafka, { groupId, topics: [bed.topic] }).on(
      bed.event,
      async (event, tx) => {
        if (event.data.implantId === refusedImplant) {
          throw new PermanentEventError('implant belongs to no known hospital');
        }
        await MessagingTestBed.recordEffect(tx, event.id, event.data.implantId);
      },
    );

  async function deadLetters(count: number): Promise<Record<string, string>[]> {
    const read = await readTopic(bed.kafka, `${bed.topic.name}.dlq`, {
      until: (messages) => messages.length >= count,
    });
    return read.map((m) => m.headers);
  }

  beforeAll(async () => {
    await bed.setUp();
    relay = new OutboxRelay(bed.outbox, bed.kafka, { relayId: 'relay-dlq' });
    await relay.start();
  });

  afterAll(async () => {
    await relay.stop();
    await bed.tearDown();
  });

  it('sends each poison message to the DLQ with its reason and moves on', async () => {
    const valid = (implantId?: string) =>
      MessagingTestBed.message(bed.event, bed.payload(implantId));
    const good1 = valid();
    const good2 = valid();
    const messages = [
      good1,
      { ...valid(), value: '{"broken json' },
      { ...valid(), value: JSON.stringify({ implantId: 'x' }) },
      { ...valid(), headers: { ...valid().headers, ce_type: 'implant.explanted.v7' } },
      { key: 'k', value: '{}', headers: {} },
      valid(refusedImplant),
      good2,
    ];
    await bed.producer.send({ topic: bed.topic.name, acks: -1, messages });

    const consumer = newConsumer();
    await consumer.start();
    await waitFor(() => consumer.stats.applied + consumer.stats.deadLettered === 7, {
      description: 'all seven messages handled',
    });
    await consumer.stop();

    expect(consumer.stats).toEqual({
      applied: 2,
      duplicates: 0,
      deadLettered: 5,
      consumersReplaced: 0,
    });
    expect(await bed.effectCounts()).toEqual({ total: 2, distinct: 2 });
    const letters = await deadLetters(5);
    expect(letters).toHaveLength(5);
    expect(letters.map((h) => h['dlq_reason'])).toEqual([
      'body is not valid JSON',
      expect.stringMatching(/^schema-invalid implant.explanted.v1: implantId/),
      'unknown event type or version implant.explanted.v7',
      'missing CloudEvents headers',
      'handler refused: implant belongs to no known hospital',
    ]);
    expect(letters[0]).toMatchObject({
      dlq_original_topic: bed.topic.name,
      dlq_consumer_group: groupId,
    });
  });

  it('replays from offset 0 without a second effect', async () => {
    await bed.publishCommitted(publisher, 10);
    const consumer = newConsumer();
    await consumer.start();
    await waitFor(async () => (await bed.effectCounts()).total === 12, {
      description: '12 effects',
    });
    await consumer.stop();

    await rewindConsumerGroup(bed.kafka, groupId, bed.topic.name);
    const replay = newConsumer();
    await replay.start();
    await waitFor(() => replay.stats.duplicates >= 12, { description: 'the replay' });
    await replay.stop();
    expect(replay.stats.applied).toBe(0);
    expect(await bed.effectCounts()).toEqual({ total: 12, distinct: 12 });
  });

  it('re-drives dead letters to their topic, where a consumer meets them again', async () => {
    // The replay above met the five poison messages again: the DLQ holds each twice.
    const redriven = await redriveDeadLetters(bed.kafka, bed.topic.name);
    expect(redriven).toBe(10);
    const consumer = newConsumer();
    await consumer.start();
    await waitFor(() => consumer.stats.deadLettered === 10, { description: 'the re-driven ten' });
    await consumer.stop();
    expect(await deadLetters(20)).toHaveLength(20);
    expect(await bed.effectCounts()).toEqual({ total: 12, distinct: 12 });
  });
});
