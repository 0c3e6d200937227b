import type { EventEnvelope, ImplantEnteredInErrorV1 } from '@implant-trace/contracts';
import { EVENTS } from '@implant-trace/contracts';
import { uuidV7 } from '@implant-trace/identifiers';
import { uniqueName, waitFor } from '@implant-trace/platform-testing';
import type { EntityManager } from 'typeorm';

import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { EventConsumer } from './event-consumer';
import { PermanentEventError } from './event-handler';

/**
 * Batch handlers write a run of events in one statement; what they leave must be what handlers
 * per event leave: the same order across types, one application per event, a refused event
 * isolated and dead-lettered while the rest of its run applies.
 */
describe('an event consumer with a batch handler', () => {
  const bed = new MessagingTestBed(1);
  const correction = { ...EVENTS.implantEnteredInErrorV1, topic: bed.topic };
  const refusedImplant = uuidV7();
  // One group for the file: each test's consumer goes on from the offsets the last committed.
  const groupId = uniqueName('it-batch-group');

  beforeAll(async () => {
    await bed.setUp();
    await bed.dataSource.query(
      `ALTER TABLE effects ADD COLUMN seq bigserial, ADD COLUMN kind text NOT NULL DEFAULT ''`,
    );
  });

  afterAll(async () => {
    await bed.tearDown();
  });

  const explant = (implantId = uuidV7()) =>
    MessagingTestBed.message(bed.event, bed.payload(implantId));
  const corrected = (implantId = uuidV7()) =>
    MessagingTestBed.message<ImplantEnteredInErrorV1>(correction, {
      implantId,
      hospitalOds: 'RXH01',
      reason: 'scanned on the wrong patient',
      correctedAt: new Date().toISOString(),
      recordedBy: 'it-messaging',
    });

  /** One multi-row insert per run, as a set-based projection writes. */
  async function insertRun(
    tx: EntityManager,
    events: readonly EventEnvelope<{ implantId: string }>[],
  ) {
    await tx.query(
      `INSERT INTO effects (event_id, implant_id, kind)
       SELECT id, implant, 'batch' FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS t(id, implant, n)
       ORDER BY n`,
      [events.map((e) => e.id), events.map((e) => e.data.implantId)],
    );
  }

  function consumerOf(runs: string[][]): EventConsumer {
    return new EventConsumer(bed.dataSource, bed.kafka, {
      groupId,
      topics: [bed.topic],
      initialBackoffMs: 50,
    })
      .onBatch(bed.event, async (events, tx) => {
        runs.push(events.map((e) => e.data.implantId));
        if (events.some((e) => e.data.implantId === refusedImplant)) {
          throw new PermanentEventError('this implant is refused');
        }
        await insertRun(tx, events);
      })
      .on(correction, async (event, tx) => {
        await tx.query(`INSERT INTO effects (event_id, implant_id, kind) VALUES ($1, $2, 'each')`, [
          event.id,
          event.data.implantId,
        ]);
      });
  }

  async function effects(): Promise<{ implant_id: string; kind: string }[]> {
    return (await bed.dataSource.query(`SELECT implant_id, kind FROM effects ORDER BY seq`)) as {
      implant_id: string;
      kind: string;
    }[];
  }

  it('applies each run of one type in one call, in order with the events of other types between', async () => {
    const messages = [explant(), explant(), explant(), corrected(), explant(), explant()];
    const implantIds = messages.map((m) => m.key);
    const runs: string[][] = [];
    await bed.producer.send({ topic: bed.topic.name, acks: -1, messages });
    const consumer = consumerOf(runs);
    await consumer.start();
    try {
      await waitFor(() => consumer.stats.applied === 6, { description: 'six events applied' });
    } finally {
      await consumer.stop();
    }
    expect(await effects()).toEqual(
      implantIds.map((implantId, i) => ({
        implant_id: implantId,
        kind: i === 3 ? 'each' : 'batch',
      })),
    );
    expect(runs).toEqual([implantIds.slice(0, 3), implantIds.slice(4)]);
  });

  it('applies a redelivered copy in the same fetch once', async () => {
    await bed.dataSource.query(`TRUNCATE effects`);
    const id = uuidV7();
    const implantId = uuidV7();
    const copy = MessagingTestBed.message(bed.event, bed.payload(implantId), id);
    const messages = [copy, explant(), copy];
    await bed.producer.send({ topic: bed.topic.name, acks: -1, messages });
    const runs: string[][] = [];
    const consumer = consumerOf(runs);
    await consumer.start();
    try {
      await waitFor(() => consumer.stats.applied + consumer.stats.duplicates === 3, {
        description: 'the three messages handled',
      });
      expect(consumer.stats).toMatchObject({ applied: 2, duplicates: 1 });
    } finally {
      await consumer.stop();
    }
    expect((await effects()).map((e) => e.implant_id)).toEqual([implantId, messages[1]?.key]);
  });

  it('dead-letters the one event a batch handler refuses and applies the rest of its run', async () => {
    await bed.dataSource.query(`TRUNCATE effects`);
    const before = [explant(), explant()];
    const after = [explant(), explant()];
    const messages = [...before, explant(refusedImplant), ...after];
    await bed.producer.send({ topic: bed.topic.name, acks: -1, messages });
    const runs: string[][] = [];
    const consumer = consumerOf(runs);
    await consumer.start();
    try {
      await waitFor(() => consumer.stats.deadLettered === 1 && consumer.stats.applied === 4, {
        description: 'the refused event dead-lettered and the other four applied',
      });
    } finally {
      await consumer.stop();
    }
    // The whole run refused first, so the consumer isolated it: one event per call.
    expect(runs.filter((run) => run.includes(refusedImplant))).toContainEqual([refusedImplant]);
    expect((await effects()).map((e) => e.implant_id)).toEqual(
      [...before, ...after].map((m) => m.key),
    );
  });
});
