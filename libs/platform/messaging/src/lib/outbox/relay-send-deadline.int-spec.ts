import { Registry } from 'prom-client';

import { startOwnTestBroker, waitFor, type OwnTestBroker } from '@implant-trace/platform-testing';

import { KafkaConnection } from '../broker/kafka-connection';
import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { EventPublisher } from './event-publisher';
import { OutboxMetrics } from './outbox-metrics';
import { OutboxRelay } from './outbox-relay';
import { SendDeadlineExceededError } from './send-deadline-exceeded.error';

describe('a relay whose send never settles', () => {
  jest.setTimeout(120_000);
  let broker: OwnTestBroker;
  let bed: MessagingTestBed;
  let publisher: EventPublisher;

  beforeAll(async () => {
    broker = await startOwnTestBroker();
    bed = new MessagingTestBed(
      2,
      new KafkaConnection({ brokers: broker.brokers, clientId: 'it-send-deadline' }),
    );
    await bed.setUp();
    publisher = new EventPublisher('it-messaging', bed.outbox);
  });

  afterAll(async () => {
    await broker.thaw().catch(() => undefined);
    await bed.tearDown();
    await broker.stop();
  });

  const idsOnTopic = async () => (await bed.eventsOnTopic()).map((event) => event.id);

  it('gives its rows back at the deadline while the broker is frozen, then sends every one once it answers', async () => {
    const metrics = new OutboxMetrics(new Registry(), bed.outbox);
    const deadlinesExceeded = async () =>
      (await metrics.sendDeadlineExceededTotal.get()).values[0]?.value ?? 0;
    const reported: unknown[] = [];
    const relay = new OutboxRelay(bed.outbox, bed.kafka, {
      relayId: 'relay-deadline',
      idlePollMs: 50,
      sendDeadlineMs: 1_500,
      metrics,
      onError: (error) => reported.push(error),
    });
    await relay.start();
    try {
      // Connected, with the topic's metadata known, before the broker stops answering.
      const before = await bed.publishCommitted(publisher, 10);
      await waitFor(async () => (await idsOnTopic()).length === before.length, {
        description: 'the first events on the topic',
      });

      await broker.freeze();
      const during = await bed.publishCommitted(publisher, 20);
      // kafkajs alone waits its 30 s request timeout, and then retries: nothing is reported.
      await waitFor(async () => (await deadlinesExceeded()) > 0, {
        timeoutMs: 15_000,
        description: 'a send to outlive the relay deadline',
      });
      // The fault happened and the rows are back in the outbox, held by no lane.
      await waitFor(async () => (await bed.outbox.pendingCount()) === during.length, {
        timeoutMs: 10_000,
        description: 'the unsent rows to be given back',
      });

      await broker.thaw();
      const committed = [...before, ...during];
      // The abandoned send may land once the broker answers, before the relay sends the rows it
      // got back again: the topic can be complete while the outbox is not yet empty.
      await waitFor(
        async () =>
          (await bed.outbox.pendingCount()) === 0 &&
          new Set(await idsOnTopic()).size === committed.length,
        {
          timeoutMs: 60_000,
          description: 'the outbox sent and every committed event on the topic',
        },
      );
      expect([...new Set(await idsOnTopic())].sort()).toEqual([...committed].sort());
      expect(await bed.outbox.listParked()).toEqual([]);
      // The relay said why: the deadline, not a row.
      expect(reported.some((error) => error instanceof SendDeadlineExceededError)).toBe(true);
    } finally {
      await broker.thaw();
      await relay.stop();
    }
  });
});
