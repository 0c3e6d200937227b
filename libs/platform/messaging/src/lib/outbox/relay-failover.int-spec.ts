import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { createSchemaDataSource } from '@implant-trace/platform-database';
import { testInfrastructure, waitFor } from '@implant-trace/platform-testing';

import { EventConsumer } from '../consumer/event-consumer';
import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { EventPublisher } from './event-publisher';
import { OutboxRelay } from './outbox-relay';
import { OutboxRepository } from './outbox.repository';

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

  /** The event ids on the test's topic, in offset order per partition. */
  const onTopic = async () => (await bed.eventsOnTopic()).map((event) => event.id);

  it('gives a dead relay lane and rows to a live relay: held, nothing of it is sent; dead, all of it once', async () => {
    const [key] = await bed.keysInOneLane(1);
    const ids = await bed.publishCommitted(publisher, 25, () => key as string);
    const [{ lane }] = (await bed.dataSource.query(
      `SELECT DISTINCT lane FROM outbox WHERE event_id = ANY($1::uuid[])`,
      [ids],
    )) as [{ lane: number }];
    // What a relay holds at the moment it dies: the lane's lock, its rows deleted, uncommitted.
    const dying = await bed.outbox.takeLanes([lane], {
      maxLanes: 1,
      limit: 100,
      idleLimitMs: 30_000,
    });
    expect(dying?.rows.map((row) => row.event_id)).toEqual(ids);
    const [{ pid }] = (await bed.dataSource.query(
      `SELECT pid FROM pg_locks
       WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND objid = $1
         AND classid::bigint = hashtext('outbox-lane:' || current_schema())::bigint & 4294967295`,
      [lane],
    )) as [{ pid: number }];

    const live = new OutboxRelay(bed.outbox, bed.kafka, { relayId: 'live', idlePollMs: 50 });
    await live.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(
        await bed.outbox.takeLanes([lane], { maxLanes: 1, limit: 100, idleLimitMs: 30_000 }),
      ).toBeUndefined();
      expect(await onTopic()).toEqual([]);
      const [{ terminated }] = (await bed.dataSource.query(
        `SELECT pg_terminate_backend($1) AS terminated`,
        [pid],
      )) as [{ terminated: boolean }];
      expect(terminated).toBe(true);
      await waitFor(async () => (await onTopic()).length === ids.length, {
        description: 'the live relay to send the dead relay rows',
      });
    } finally {
      await live.stop();
      await dying?.abandon();
    }
    expect(await onTopic()).toEqual(ids);
    expect(await bed.outbox.pendingCount()).toBe(0);
  });

  it('gives its session back clean after a statement fails inside a held lane, and sends once the table is free', async () => {
    const ids = await bed.publishCommitted(publisher, 10);
    // One pooled session, so a session left inside an aborted transaction would stop the relay.
    const onePool = createSchemaDataSource({
      url: testInfrastructure().databaseUrl,
      schema: bed.schema,
      poolSize: 1,
      sessionTimeouts: { lockTimeoutMs: 200 },
    });
    await onePool.initialize();
    const errors: string[] = [];
    const relay = new OutboxRelay(new OutboxRepository(onePool), bed.kafka, {
      relayId: 'relay-one-session',
      idlePollMs: 50,
      onError: (error) => errors.push(String(error)),
    });
    // Reads go on under this lock; the relay's delete waits for it and times out.
    const blocker = bed.dataSource.createQueryRunner();
    await blocker.startTransaction();
    await blocker.query(`LOCK TABLE outbox IN EXCLUSIVE MODE`);
    try {
      await relay.start();
      await waitFor(() => errors.some((error) => error.includes('lock timeout')), {
        description: "the relay's delete to time out on the lock",
      });
      await blocker.rollbackTransaction();
      await waitFor(async () => (await bed.outbox.pendingCount()) === 0, {
        description: 'the relay to send every row once the table is free',
      });
    } finally {
      if (blocker.isTransactionActive) await blocker.rollbackTransaction();
      await blocker.release();
      await relay.stop();
      await onePool.destroy();
    }
    expect(errors.filter((error) => error.includes('current transaction is aborted'))).toEqual([]);
    expect((await onTopic()).filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
  });

  it('deletes what it sent, so the outbox holds only what is still to be sent', async () => {
    const relay = new OutboxRelay(bed.outbox, bed.kafka, {
      relayId: 'relay-sweep',
      vacuumEveryRows: 10,
    });
    const ids = await bed.publishCommitted(publisher, 30);
    await relay.start();
    try {
      await waitFor(async () => (await bed.outbox.pendingCount()) === 0, {
        description: 'every row sent',
      });
    } finally {
      await relay.stop();
    }
    const [row] = (await bed.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE event_id = ANY($1::uuid[])`,
      [ids],
    )) as [{ n: number }];
    expect(row.n).toBe(0);
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
