import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { waitFor } from '@implant-trace/platform-testing';

import { EventConsumer } from '../consumer/event-consumer';
import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { EventPublisher } from './event-publisher';
import { OutboxRelay } from './outbox-relay';

const kafkaScript = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  '..',
  'tools',
  'kafka',
  'kafka.sh',
);

describe('relay and broker failures', () => {
  const bed = new MessagingTestBed();
  const publisher = new EventPublisher('it-messaging', bed.outbox);

  beforeAll(() => bed.setUp());
  afterAll(() => bed.tearDown());

  it('publishes the rows a dead relay had claimed once its lease expires', async () => {
    const ids = await bed.publishCommitted(publisher, 25);
    const dead = new OutboxRelay(bed.outbox, bed.kafka, { relayId: 'dead', leaseMs: 1_500 });
    const { rows: claimed } = await dead.claim();
    expect(claimed.map((row) => row.event_id)).toEqual(ids);

    const live = new OutboxRelay(bed.outbox, bed.kafka, { relayId: 'live', leaseMs: 1_500 });
    await live.start();
    try {
      const [held] = (await bed.dataSource.query(
        `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL AND claimed_by = 'dead'`,
      )) as [{ n: number }];
      expect(held.n).toBe(25);
      await waitFor(
        async () => {
          const [row] = (await bed.dataSource.query(
            `SELECT count(*)::int AS n FROM outbox WHERE published_at IS NOT NULL AND claimed_by LIKE 'live%'
             AND event_id = ANY($1::uuid[])`,
            [ids],
          )) as [{ n: number }];
          return row.n === 25;
        },
        { description: 'the live relay to take the rows over' },
      );
    } finally {
      await live.stop();
    }
  });

  it('purges published rows past their retention so the outbox stays small', async () => {
    const relay = new OutboxRelay(bed.outbox, bed.kafka, {
      relayId: 'relay-purge',
      vacuumEveryRows: 10,
      publishedRetentionMs: 0,
    });
    const ids = await bed.publishCommitted(publisher, 30);
    await relay.start();
    try {
      await waitFor(
        async () => {
          const [row] = (await bed.dataSource.query(
            `SELECT count(*)::int AS n FROM outbox WHERE event_id = ANY($1::uuid[])`,
            [ids],
          )) as [{ n: number }];
          return row.n === 0;
        },
        { description: 'published rows to be purged' },
      );
    } finally {
      await relay.stop();
    }
  });

  it('loses nothing and applies nothing twice when the broker is SIGKILLed mid-publish', async () => {
    const errors: string[] = [];
    const relay = new OutboxRelay(bed.outbox, bed.kafka, {
      relayId: 'relay-k',
      batchSize: 100,
      onError: (error) => errors.push(`relay: ${String(error)}`),
    });
    const consumer = new EventConsumer(bed.dataSource, bed.kafka, {
      groupId: `${bed.topic.name}.broker-kill`,
      topics: [bed.topic],
      onError: (error) => errors.push(`consumer: ${String(error)}`),
    }).on(bed.event, (event, tx) =>
      MessagingTestBed.recordEffect(tx, event.id, event.data.implantId),
    );
    await relay.start();
    await consumer.start();
    const committed: string[] = [];
    try {
      for (let round = 0; round < 20; round += 1) {
        committed.push(...(await bed.publishCommitted(publisher, 50)));
        if (round === 6) execFileSync('bash', [kafkaScript, 'kill'], { stdio: 'ignore' });
        if (round === 12) execFileSync('bash', [kafkaScript, 'start'], { stdio: 'ignore' });
      }
      const effectsOfCommitted = async () =>
        (
          (await bed.dataSource.query(
            `SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS "distinct"
           FROM effects WHERE event_id = ANY($1::uuid[])`,
            [committed],
          )) as [{ total: number; distinct: number }]
        )[0];
      await waitFor(async () => (await effectsOfCommitted()).distinct === committed.length, {
        timeoutMs: 120_000,
        intervalMs: 250,
        description: 'every committed event to take effect after the broker restart',
      }).catch((error: unknown) => {
        throw new Error(`${String(error)}; last errors: ${errors.slice(-3).join(' | ')}`);
      });
      expect(await effectsOfCommitted()).toEqual({
        total: committed.length,
        distinct: committed.length,
      });
      // The outage was the broker's, not any row's: nothing was parked for it.
      expect(await bed.outbox.listParked()).toEqual([]);
    } finally {
      execFileSync('bash', [kafkaScript, 'start'], { stdio: 'ignore' });
      await consumer.stop();
      await relay.stop();
    }
  }, 180_000);
});
