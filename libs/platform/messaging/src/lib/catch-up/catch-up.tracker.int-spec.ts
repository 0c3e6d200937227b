import { ReadinessRegistry } from '@implant-trace/platform-observability';
import { startOwnTestBroker, waitFor, type OwnTestBroker } from '@implant-trace/platform-testing';

import { KafkaConnection } from '../broker/kafka-connection';
import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { InboxTransport } from '../transport/inbox.transport';
import { CatchUpTracker, FOLLOW_DEADLINE_MS } from './catch-up.tracker';

describe('CatchUpTracker against a broker that stops answering', () => {
  jest.setTimeout(120_000);
  let broker: OwnTestBroker;
  let bed: MessagingTestBed;

  beforeAll(async () => {
    broker = await startOwnTestBroker();
    bed = new MessagingTestBed(
      1,
      new KafkaConnection({ brokers: broker.brokers, clientId: 'it-catch-up' }),
    );
    await bed.setUp();
  });

  afterAll(async () => {
    await broker.thaw().catch(() => undefined);
    await bed.tearDown();
    await broker.stop();
  });

  const trackerOn = (kafka: KafkaConnection) =>
    new CatchUpTracker(
      kafka,
      // Never listening: the tracker then follows the group's committed offsets alone.
      new InboxTransport(
        () => {
          throw new Error('not started in this test');
        },
        { groupId: 'it-catch-up' },
      ),
      new ReadinessRegistry(),
      {
        groupId: 'it-catch-up',
        topics: [{ topic: bed.topic, what: 'the test index' }],
        readinessName: 'index',
      },
    );

  it('says it cannot tell within its deadline, asks again with a new connection, and lets go of Kafka once caught up', async () => {
    const tracker = trackerOn(bed.kafka);
    await broker.freeze();
    const started = performance.now();
    try {
      // kafkajs alone would wait its 30 s request timeout, then retry: the start would hang.
      await tracker.onApplicationBootstrap();
      const waited = performance.now() - started;
      expect(waited).toBeLessThan(FOLLOW_DEADLINE_MS + 5_000);
      expect(tracker.doubts()).toEqual([
        `the test index cannot tell whether it has caught up with ${bed.topic.name}`,
      ]);
      expect(tracker.following).toBe(false);
    } finally {
      await broker.thaw();
    }
    // An empty topic: nothing to catch up with once Kafka answers.
    await waitFor(() => Promise.resolve(tracker.doubts().length === 0), {
      timeoutMs: 60_000,
      description: 'the tracker caught up after the broker answered again',
    });
    expect(tracker.following).toBe(false);
    await tracker.onApplicationShutdown();
  });
});
