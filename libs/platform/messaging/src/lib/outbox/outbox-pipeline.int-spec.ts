import { waitFor } from '@implant-trace/platform-testing';

import { EventConsumer } from '../consumer/event-consumer';
import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { EventPublisher, EventValidationError } from './event-publisher';
import { OutboxRelay } from './outbox-relay';

describe('outbox -> relay -> Kafka -> consumer', () => {
  const bed = new MessagingTestBed();
  const publisher = new EventPublisher('it-messaging', bed.outbox);
  let relay: OutboxRelay;
  let consumer: EventConsumer;

  beforeAll(async () => {
    await bed.setUp();
    relay = new OutboxRelay(bed.outbox, bed.kafka, { relayId: 'relay-a' });
    consumer = new EventConsumer(bed.dataSource, bed.kafka, {
      groupId: `${bed.topic.name}.effects`,
      topics: [bed.topic],
    }).on(bed.event, (event, tx) =>
      MessagingTestBed.recordEffect(tx, event.id, event.data.implantId),
    );
    await relay.start();
    await consumer.start();
  });

  afterAll(async () => {
    await consumer.stop();
    await relay.stop();
    await bed.tearDown();
  });

  async function effectFor(eventId: string): Promise<number> {
    const [row] = (await bed.dataSource.query(
      `SELECT count(*)::int AS n FROM effects WHERE event_id = $1`,
      [eventId],
    )) as [{ n: number }];
    return row.n;
  }

  it('delivers what was committed and never what was rolled back', async () => {
    const committed = await bed.publishCommitted(publisher, 3);
    let rolledBackId = '';
    await expect(
      bed.dataSource.transaction(async (tx) => {
        rolledBackId = await publisher.publish(tx, bed.event, bed.payload());
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    const after = await bed.publishCommitted(publisher, 1);

    // Events of different keys travel on different partitions, which the consumer applies
    // concurrently: the last event's effect says nothing about the others, so wait for each.
    const everyCommitted = [...committed, ...after];
    await waitFor(
      async () => {
        for (const id of everyCommitted) if ((await effectFor(id)) !== 1) return false;
        return true;
      },
      { description: 'every committed event to take effect' },
    );
    for (const id of everyCommitted) expect(await effectFor(id)).toBe(1);
    expect(await effectFor(rolledBackId)).toBe(0);
    const outboxRows = (await bed.dataSource.query(`SELECT 1 FROM outbox WHERE event_id = $1`, [
      rolledBackId,
    ])) as unknown[];
    expect(outboxRows).toHaveLength(0);
  });

  it('refuses to publish outside a transaction or with an invalid payload, storing nothing', async () => {
    await expect(
      publisher.publish(bed.dataSource.manager, bed.event, bed.payload()),
    ).rejects.toThrow(/inside the state change transaction/);
    await expect(
      bed.dataSource.transaction((tx) =>
        publisher.publish(tx, bed.event, { ...bed.payload(), hospitalOds: 'not an ods' }),
      ),
    ).rejects.toBeInstanceOf(EventValidationError);
  });

  it('loses nothing when an earlier id commits after later ones (commit-order trap)', async () => {
    const slow = bed.dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    const earlierId = await publisher.publish(slow.manager, bed.event, bed.payload());
    const later = await bed.publishCommitted(publisher, 5);
    await waitFor(async () => (await effectFor(later[4]!)) === 1, { description: 'later events' });
    expect(await effectFor(earlierId)).toBe(0);

    await slow.commitTransaction();
    await slow.release();
    await waitFor(async () => (await effectFor(earlierId)) === 1, {
      description: 'the late-committed event',
    });
  });

  it('keeps per-key order across the relay and the consumer', async () => {
    const implantId = '0190f5a2-7c4e-7b1a-9f3e-000000000001';
    const ids = await bed.dataSource.transaction(async (tx) => {
      const published: string[] = [];
      for (let i = 0; i < 20; i += 1) {
        published.push(await publisher.publish(tx, bed.event, bed.payload(implantId)));
      }
      return published;
    });
    await waitFor(async () => (await effectFor(ids[19]!)) === 1, { description: 'all 20' });
    const rows = (await bed.dataSource.query(
      `SELECT i.event_id FROM inbox i WHERE i.event_id = ANY($1::uuid[]) ORDER BY i.kafka_offset`,
      [ids],
    )) as { event_id: string }[];
    expect(rows.map((r) => r.event_id)).toEqual(ids);
  });
});
