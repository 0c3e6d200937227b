import 'reflect-metadata';

import type { ImplantEnteredInErrorV1, ImplantExplantedV1 } from '@implant-trace/contracts';
import { deadLetterTopicOf, EVENTS, IMPLANTS_TOPIC } from '@implant-trace/contracts';
import { createSchemaDataSource, DatabaseModule } from '@implant-trace/platform-database';
import { ReadinessRegistry } from '@implant-trace/platform-observability';
import { testInfrastructure, uniqueName, waitFor } from '@implant-trace/platform-testing';
import type { INestApplication } from '@nestjs/common';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

import { cloudEventHeaders } from '../broker/cloud-event-headers';
import { PermanentEventError } from '../consumer/event-handler';
import { MessagingModule } from '../messaging.module';
import { MESSAGING_MIGRATIONS } from '../messaging-tables.migration';
import { EventPublisher } from '../outbox/event-publisher';
import { readTopic } from '../replay/topic-reader';
import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { connectInboxTransport } from './connect-inbox-transport';
import { EventBatchPattern, InboxBatchContext } from './event-batch-pattern.decorator';
import { InboxEventContext } from './inbox-event.context';
import { InboxTransport } from './inbox.transport';

/** What the handler is told to do with particular implants; the rest it just records. */
const refused = new Set<string>();
const failing = new Set<string>();

/** A service's consumer class, written the NestJS way. */
@Controller()
class ExplantConsumer {
  @EventPattern(EVENTS.implantExplantedV1.type)
  async onExplanted(
    @Payload() payload: ImplantExplantedV1,
    @Ctx() context: InboxEventContext,
  ): Promise<void> {
    const tx = context.getTransaction();
    await MessagingTestBed.recordEffect(tx, context.getEnvelope().id, payload.implantId);
    if (refused.has(payload.implantId)) throw new PermanentEventError('no such hospital');
    if (failing.has(payload.implantId)) throw new TypeError('a bug in the handler');
  }
}

/** The runs of corrections the batch handler was called with, as event ids in order. */
const correctionRuns: string[][] = [];

/** A consumer class whose method applies runs of events at once. */
@Controller()
class CorrectionBatchConsumer {
  @EventBatchPattern(EVENTS.implantEnteredInErrorV1.type)
  async onEnteredInError(
    @Payload() corrections: ImplantEnteredInErrorV1[],
    @Ctx() context: InboxBatchContext,
  ): Promise<void> {
    const envelopes = context.getEnvelopes();
    expect(envelopes.map((envelope) => envelope.data)).toEqual(corrections);
    correctionRuns.push(envelopes.map((envelope) => envelope.id));
    await context.getTransaction().query(
      `INSERT INTO effects (event_id, implant_id)
       SELECT * FROM unnest($1::uuid[], $2::uuid[])`,
      [envelopes.map((envelope) => envelope.id), corrections.map((c) => c.implantId)],
    );
  }
}

/**
 * The transport consumes the contract's own topic, which other runs may have written to:
 * each assertion counts this test's implants only, in this test's own schema.
 */
describe('@EventPattern consumers over the inbox transport', () => {
  const schema = uniqueName('it_inbox_transport');
  const bed = new MessagingTestBed();
  const kafka = bed.kafka;
  let app: INestApplication;
  let dataSource: DataSource;
  let raw: Producer;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        DatabaseModule.forRoot({
          url: testInfrastructure().databaseUrl,
          schema,
          migrations: MESSAGING_MIGRATIONS,
          migrate: true,
        }),
        MessagingModule.forRoot({
          serviceName: 'it-transport',
          kafka: { kafkaBrokers: testInfrastructure().kafkaBrokers, kafkaSsl: false },
          ownedTopics: [IMPLANTS_TOPIC],
          consumerGroupId: uniqueName('it-transport-group'),
        }),
      ],
      controllers: [ExplantConsumer, CorrectionBatchConsumer],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    connectInboxTransport(app, app.get(InboxTransport));
    await app.init();
    dataSource = app.get(DataSource);
    await dataSource.query(
      `CREATE TABLE effects (event_id uuid NOT NULL, implant_id uuid NOT NULL)`,
    );
    await app.startAllMicroservices();
    raw = kafka.idempotentProducer();
    await raw.connect();
  });

  afterAll(async () => {
    await raw.disconnect();
    await app.close();
    const cleanup = createSchemaDataSource({ url: testInfrastructure().databaseUrl, schema });
    await cleanup.initialize();
    await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await cleanup.destroy();
  });

  async function effectsOf(implantId: string): Promise<number> {
    const [row] = (await dataSource.query(
      `SELECT count(*)::int AS n FROM effects WHERE implant_id = $1`,
      [implantId],
    )) as [{ n: number }];
    return row.n;
  }

  async function sendRaw(implantId: string, options: { id?: string; value?: string } = {}) {
    const data = bed.payload(implantId);
    const headers = cloudEventHeaders({
      id: options.id ?? randomUUID(),
      type: EVENTS.implantExplantedV1.type,
      source: 'it',
      time: new Date().toISOString(),
      subject: implantId,
    });
    await raw.send({
      topic: IMPLANTS_TOPIC.name,
      acks: -1,
      messages: [{ key: implantId, headers, value: options.value ?? JSON.stringify(data) }],
    });
  }

  it('applies each published event exactly once, a redelivered one included', async () => {
    const published = [bed.payload(), bed.payload(), bed.payload()];
    await dataSource.transaction(async (tx) => {
      for (const payload of published) {
        await app.get(EventPublisher).publish(tx, EVENTS.implantExplantedV1, payload);
      }
    });
    const redelivered = bed.payload().implantId;
    const eventId = randomUUID();
    await sendRaw(redelivered, { id: eventId });
    await sendRaw(redelivered, { id: eventId });
    const later = bed.payload().implantId;
    await sendRaw(later);

    for (const { implantId } of published) {
      await waitFor(async () => (await effectsOf(implantId)) === 1, {
        description: `the published event of ${implantId}`,
      });
    }
    // The event behind the duplicate applied, so the duplicate was met and absorbed.
    await waitFor(async () => (await effectsOf(later)) === 1, { description: 'the later event' });
    expect(await effectsOf(redelivered)).toBe(1);
  });

  it('hands an @EventBatchPattern method a run of events, payloads and envelopes in order', async () => {
    const implantId = bed.payload().implantId;
    const corrections = Array.from({ length: 5 }, (_, i) => ({
      implantId,
      hospitalOds: 'RXH01',
      reason: `correction ${i}`,
      correctedAt: new Date().toISOString(),
      recordedBy: 'it-transport',
    }));
    const ids = await dataSource.transaction(async (tx) =>
      app.get(EventPublisher).publishMany(
        tx,
        EVENTS.implantEnteredInErrorV1,
        corrections.map((data) => ({ data })),
      ),
    );

    await waitFor(async () => (await effectsOf(implantId)) === 5, {
      description: 'the five corrections',
    });
    // One key, committed and relayed together: one run, in the order they were published.
    expect(correctionRuns.filter((run) => run.some((id) => ids.includes(id)))).toEqual([ids]);
  });

  it('sends a poison message and an event its handler refuses to the DLQ, and moves on', async () => {
    const poison = bed.payload().implantId;
    const refusedImplant = bed.payload().implantId;
    const after = bed.payload().implantId;
    refused.add(refusedImplant);
    await sendRaw(poison, { value: '{"not json' });
    await sendRaw(refusedImplant);
    await sendRaw(after);

    const letters = await readTopic(kafka, deadLetterTopicOf(IMPLANTS_TOPIC.name), {
      until: (read) => [poison, refusedImplant].every((key) => read.some((m) => m.key === key)),
    });
    const reasons = Object.fromEntries(
      letters
        .filter((m) => m.key === poison || m.key === refusedImplant)
        .map((m) => [m.key, m.headers['dlq_reason']]),
    );
    expect(reasons).toEqual({
      [poison]: 'body is not valid JSON',
      [refusedImplant]: 'handler refused: no such hospital',
    });
    await waitFor(async () => (await effectsOf(after)) === 1, { description: 'the next event' });
    expect(await effectsOf(refusedImplant)).toBe(0);
  });

  it('rolls back the effect of a throwing handler and applies it once when the handler recovers', async () => {
    const broken = bed.payload().implantId;
    failing.add(broken);
    await sendRaw(broken);
    const readiness = app.get(ReadinessRegistry);
    await waitFor(async () => (await readiness.report()).status === 'degraded', {
      description: 'the partition to be held back',
    });
    expect(await effectsOf(broken)).toBe(0);

    failing.delete(broken);
    await waitFor(async () => (await effectsOf(broken)) === 1, {
      description: 'the event to apply once the handler recovers',
    });
    await waitFor(async () => (await readiness.report()).status === 'ok', {
      description: 'the service to be healthy again',
    });
    expect(await effectsOf(broken)).toBe(1);
  });
});
