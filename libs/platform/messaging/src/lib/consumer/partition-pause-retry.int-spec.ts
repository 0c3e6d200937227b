import { PlatformMetrics, ReadinessRegistry } from '@implant-trace/platform-observability';
import { uniqueName, waitFor } from '@implant-trace/platform-testing';

import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { ConsumerMonitor } from './consumer-monitor';
import { EventConsumer } from './event-consumer';

describe('a handler that keeps failing on one partition', () => {
  const bed = new MessagingTestBed(3);
  const groupId = uniqueName('it-pause-group');

  beforeAll(async () => {
    await bed.setUp();
  });

  afterAll(async () => {
    await bed.tearDown();
  });

  /** Sends one valid event to a chosen partition; returns its implant id and offset. */
  async function sendTo(partition: number): Promise<{ implantId: string; offset: string }> {
    const data = bed.payload();
    const [sent] = await bed.producer.send({
      topic: bed.topic.name,
      acks: -1,
      messages: [{ ...MessagingTestBed.message(bed.event, data), partition }],
    });
    return { implantId: data.implantId, offset: sent?.baseOffset ?? '' };
  }

  async function appliedCount(implantId: string): Promise<number> {
    const [row] = (await bed.dataSource.query(
      `SELECT count(*)::int AS n FROM effects WHERE implant_id = $1`,
      [implantId],
    )) as [{ n: number }];
    return row.n;
  }

  function sample(text: string, metric: string, partition: number): number | undefined {
    const labels = `group="${groupId}",topic="${bed.topic.name}",partition="${partition}"`;
    const line = text.split('\n').find((l) => l.startsWith(`${metric}{${labels}} `));
    return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  }

  it('pauses and retries that partition while the others keep applying, then applies the event once', async () => {
    const metrics = new PlatformMetrics();
    const readiness = new ReadinessRegistry();
    const monitor = new ConsumerMonitor(metrics, readiness);
    let failing = true;
    let thrown = 0;
    const before = await sendTo(0);
    const stuck = await sendTo(0);
    const behind = await sendTo(0);
    const early = [await sendTo(1), await sendTo(2)];

    const consumer = new EventConsumer(bed.dataSource, bed.kafka, {
      groupId,
      topics: [bed.topic],
      initialBackoffMs: 100,
      maxBackoffMs: 400,
      onRetry: (topic, partition) => monitor.recordRetry(groupId, topic, partition),
    }).on(bed.event, async (event, tx) => {
      await MessagingTestBed.recordEffect(tx, event.id, event.data.implantId);
      if (failing && event.data.implantId === stuck.implantId) {
        thrown += 1;
        // The bug a real handler might have: the effect above must roll back with it.
        throw new TypeError("Cannot read properties of undefined (reading 'ods')");
      }
    });
    monitor.watch(consumer);
    await consumer.start();
    try {
      await waitFor(() => thrown >= 2, { description: 'the handler to fail and be retried' });
      // Sent only once partition 0 is stuck: a stall of the whole fetch would hold these back.
      const late = [await sendTo(1), await sendTo(2)];
      for (const { implantId } of [before, ...early, ...late]) {
        await waitFor(async () => (await appliedCount(implantId)) === 1, {
          description: `event ${implantId} on a healthy partition to apply`,
        });
      }
      expect(await appliedCount(stuck.implantId)).toBe(0);
      expect(await appliedCount(behind.implantId)).toBe(0);
      expect(consumer.heldPartitions()).toEqual([
        {
          topic: bed.topic.name,
          partition: 0,
          offset: stuck.offset,
          since: expect.any(Date),
          failedAttempts: expect.any(Number),
          error: 'TypeError',
        },
      ]);

      const text = await waitFor(
        async () => {
          const scraped = await metrics.registry.metrics();
          return sample(scraped, 'kafka_consumer_retries_total', 0) === thrown ? scraped : false;
        },
        { description: 'the retries metric to match the failures' },
      );
      expect(sample(text, 'kafka_consumer_partition_paused', 0)).toBe(1);
      expect(sample(text, 'kafka_consumer_partition_paused', 1)).toBeUndefined();
      expect(sample(text, 'kafka_consumer_retries_total', 1)).toBeUndefined();
      expect(sample(text, 'kafka_consumer_oldest_unapplied_event_age_seconds', 0)).toBeGreaterThan(
        0,
      );
      expect(sample(text, 'kafka_consumer_oldest_unapplied_event_age_seconds', 1)).toBe(0);

      const report = await readiness.report();
      expect(report.status).toBe('degraded');
      expect(report.checks['consumers']).toEqual({
        status: 'degraded',
        details: {
          pausedPartitions: [
            {
              group: groupId,
              topic: bed.topic.name,
              partition: 0,
              offset: stuck.offset,
              since: expect.any(String),
              failedAttempts: expect.any(Number),
              error: 'TypeError',
            },
          ],
        },
      });

      failing = false;
      await waitFor(async () => (await appliedCount(behind.implantId)) === 1, {
        description: 'partition 0 to resume once the handler recovers',
      });
      expect(await appliedCount(stuck.implantId)).toBe(1);
      expect(await bed.effectCounts()).toEqual({ total: 7, distinct: 7 });
      expect(consumer.heldPartitions()).toEqual([]);
      expect((await readiness.report()).status).toBe('ok');
      const after = await metrics.registry.metrics();
      expect(sample(after, 'kafka_consumer_partition_paused', 0)).toBeUndefined();
      expect(sample(after, 'kafka_consumer_oldest_unapplied_event_age_seconds', 0)).toBe(0);
    } finally {
      await consumer.stop();
    }
  });
});
