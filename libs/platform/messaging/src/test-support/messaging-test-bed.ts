import type {
  EventDefinition,
  ImplantExplantedV1,
  TopicDefinition,
} from '@implant-trace/contracts';
import { EVENTS } from '@implant-trace/contracts';
import { uuidV7 } from '@implant-trace/identifiers';
import { createSchemaDataSource, prepareSchema } from '@implant-trace/platform-database';
import { testInfrastructure, uniqueName } from '@implant-trace/platform-testing';
import type { Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';

import type { MessageHeaders } from '../lib/broker/cloud-event-headers';
import { CE_HEADERS, cloudEventHeaders } from '../lib/broker/cloud-event-headers';
import { KafkaConnection } from '../lib/broker/kafka-connection';
import { MESSAGING_MIGRATIONS } from '../lib/messaging-tables.migration';
import { laneOfKeySql, OUTBOX_LANES } from '../lib/outbox-lanes.migration';
import type { EventPublisher } from '../lib/outbox/event-publisher';
import { OutboxRepository } from '../lib/outbox/outbox.repository';
import { readTopic } from '../lib/replay/topic-reader';
import { provisionTopics } from '../lib/topics/topic-provisioner';

/** Schema, topic and tables for one messaging test file, torn down afterwards. */
export class MessagingTestBed {
  readonly schema = uniqueName('it_messaging');
  readonly topic: TopicDefinition;
  readonly event: EventDefinition<ImplantExplantedV1>;
  readonly dataSource: DataSource;
  readonly outbox: OutboxRepository;
  /** Writes straight to the topic, around the outbox: for poison messages and redeliveries. */
  readonly producer: Producer;

  /** `kafka`: another cluster than the test broker (a test's own three-node cluster). */
  constructor(
    partitions = 3,
    readonly kafka = new KafkaConnection({
      brokers: testInfrastructure().kafkaBrokers,
      clientId: 'it-messaging',
    }),
  ) {
    this.producer = kafka.idempotentProducer();
    this.topic = {
      name: uniqueName('it.messaging'),
      key: 'implantId',
      partitions,
      config: { 'cleanup.policy': 'delete' },
    };
    this.event = { ...EVENTS.implantExplantedV1, topic: this.topic };
    this.dataSource = createSchemaDataSource({
      url: testInfrastructure().databaseUrl,
      schema: this.schema,
      migrations: MESSAGING_MIGRATIONS,
      poolSize: 8,
    });
    this.outbox = new OutboxRepository(this.dataSource);
  }

  /** `withTopic: false` leaves the topic to be created by whoever starts first. */
  async setUp({ withTopic = true }: { withTopic?: boolean } = {}): Promise<void> {
    await this.dataSource.initialize();
    await prepareSchema(this.dataSource);
    // No unique constraint on purpose: a second application of one event would show here.
    await this.dataSource.query(
      `CREATE TABLE effects (event_id uuid NOT NULL, implant_id uuid NOT NULL)`,
    );
    if (withTopic) await provisionTopics(this.kafka, [this.topic]);
    await this.producer.connect();
  }

  async tearDown(): Promise<void> {
    await this.producer.disconnect();
    await this.dataSource.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    await this.dataSource.destroy();
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const topics = [this.topic.name, `${this.topic.name}.dlq`].filter((t) => existing.has(t));
      await admin.deleteTopics({ topics });
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * The event id of every message on the test's topic when it is called, in offset order per
   * partition. Each partition is read up to its own end: a count over all of them would stop
   * early, with some partitions half read, while copies (a resend after a fault) still arrive.
   */
  async eventsOnTopic(): Promise<{ partition: number; id: string }[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    const offsets = await admin
      .fetchTopicOffsets(this.topic.name)
      .finally(() => admin.disconnect());
    const ends = new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
    const unread = new Set(offsets.filter((p) => p.high !== p.low).map((p) => p.partition));
    if (unread.size === 0) return [];
    let checked = 0;
    const messages = await readTopic(this.kafka, this.topic.name, {
      until: (read) => {
        for (const message of read.slice(checked)) {
          if (BigInt(message.offset) + 1n >= (ends.get(message.partition) ?? 0n)) {
            unread.delete(message.partition);
          }
        }
        checked = read.length;
        return unread.size === 0;
      },
    });
    return messages
      .filter((m) => BigInt(m.offset) < (ends.get(m.partition) ?? 0n))
      .sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)))
      .map((m) => ({ partition: m.partition, id: m.headers[CE_HEADERS.id] ?? '' }));
  }

  payload(implantId = uuidV7()): ImplantExplantedV1 {
    return {
      implantId,
      hospitalOds: 'RXH01',
      explantedAt: new Date().toISOString(),
      recordedBy: 'it-messaging',
    };
  }

  /** Commits `count` events in one transaction; the key of each is `implantIdOf(i)`. */
  async publishCommitted(
    publisher: EventPublisher,
    count: number,
    implantIdOf: (index: number) => string = () => uuidV7(),
  ): Promise<string[]> {
    return this.dataSource.transaction(async (tx) => {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1)
        ids.push(await publisher.publish(tx, this.event, this.payload(implantIdOf(i))));
      return ids;
    });
  }

  /**
   * `count` fresh keys that hash to one outbox lane, so one relay worker sends them all: what
   * a test of one lane's holder needs when it must know who sends which row.
   */
  async keysInOneLane(count: number): Promise<string[]> {
    const candidates = Array.from({ length: count * OUTBOX_LANES * 4 }, () => uuidV7());
    const rows = (await this.dataSource.query(
      `SELECT key, ${laneOfKeySql('key')} AS lane FROM unnest($1::text[]) AS key`,
      [candidates],
    )) as { key: string; lane: number }[];
    const byLane = new Map<number, string[]>();
    for (const { key, lane } of rows) byLane.set(lane, [...(byLane.get(lane) ?? []), key]);
    const keys = [...byLane.values()].find((lane) => lane.length >= count);
    if (keys === undefined) throw new Error(`no lane drew ${count} of the candidate keys`);
    return keys.slice(0, count);
  }

  /** A valid event's Kafka message, for tests that write around the outbox. */
  static message<P extends { implantId: string }>(
    event: EventDefinition<P>,
    data: P,
    id = uuidV7(),
  ): { key: string; headers: MessageHeaders; value: string } {
    const headers = cloudEventHeaders({
      id,
      type: event.type,
      source: 'it',
      time: new Date().toISOString(),
      subject: data.implantId,
    });
    return { key: data.implantId, headers, value: JSON.stringify(data) };
  }

  /** The effect a test consumer applies: one row per application. */
  static async recordEffect(tx: EntityManager, eventId: string, implantId: string): Promise<void> {
    await tx.query(`INSERT INTO effects (event_id, implant_id) VALUES ($1, $2)`, [
      eventId,
      implantId,
    ]);
  }

  async effectCounts(): Promise<{ total: number; distinct: number }> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS "distinct" FROM effects`,
    )) as [{ total: number; distinct: number }];
    return row;
  }
}
