import { waitFor } from '@implant-trace/platform-testing';
import type { DataSource, EntityManager } from 'typeorm';

import type { KafkaConnection } from '../lib/broker/kafka-connection';
import { CE_HEADERS } from '../lib/broker/cloud-event-headers';
import { readTopic } from '../lib/replay/topic-reader';

/** An outbox row as it was written, kept by a test to send it again. */
export type OutboxRowCopy = Record<'event_id' | 'topic' | 'message_key' | 'event_type', string> & {
  headers: object;
  payload: string;
};

/**
 * Copies the rows just written for `eventIds`, inside the writing transaction: the relay
 * deletes a row once it is sent, so a test that redelivers an event keeps its row first.
 */
export async function keepOutboxCopies(
  transaction: EntityManager,
  eventIds: readonly string[],
  into: Map<string, OutboxRowCopy>,
): Promise<void> {
  const rows = (await transaction.query(
    `SELECT event_id, topic, message_key, event_type, headers, payload FROM outbox
     WHERE event_id = ANY($1::uuid[])`,
    [eventIds],
  )) as OutboxRowCopy[];
  for (const row of rows) into.set(row.event_id, row);
}

/** Writes kept rows into the outbox again, as a relay retrying after a lost ack sends them. */
export async function reinsertOutboxCopies(
  dataSource: DataSource,
  eventIds: readonly string[],
  from: ReadonlyMap<string, OutboxRowCopy>,
): Promise<void> {
  for (const id of eventIds) {
    const row = from.get(id);
    if (row === undefined) throw new Error(`no outbox copy was kept of event ${id}`);
    await dataSource.query(
      `INSERT INTO outbox (event_id, topic, message_key, event_type, headers, payload)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.event_id, row.topic, row.message_key, row.event_type, row.headers, row.payload],
    );
  }
}

/** Resolves once the relay has sent every row of the outbox. */
export async function untilOutboxEmpty(dataSource: DataSource, description: string) {
  await waitFor(
    async () => {
      const [row] = (await dataSource.query(`SELECT count(*)::int AS n FROM outbox`)) as [
        { n: number },
      ];
      return row.n === 0;
    },
    { description },
  );
}

/** An event as a consumer of the topic reads it. */
export interface PublishedEvent {
  id: string;
  type: string;
  key: string;
  partition: number;
  offset: string;
  /** The validated payload; undefined for a message no consumer could decode. */
  data: Record<string, unknown> | undefined;
}

/**
 * Every event the service's relay has sent to `topic`, in offset order per partition: waits
 * for its outbox to empty, then reads the topic up to the end it has at that moment. What a
 * service published is what reached Kafka; its outbox keeps nothing it has sent.
 */
export async function publishedEvents(
  dataSource: DataSource,
  kafka: KafkaConnection,
  topic: string,
): Promise<PublishedEvent[]> {
  await untilOutboxEmpty(dataSource, `the relay to send every event to ${topic}`);
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const lastOffsets = new Map(
    ends
      .filter((end) => BigInt(end.high) > BigInt(end.low))
      .map((end) => [end.partition, BigInt(end.high) - 1n]),
  );
  if (lastOffsets.size === 0) return [];
  const messages = await readTopic(kafka, topic, {
    until: (read) => {
      const reached = new Set(
        read
          .filter((m) => BigInt(m.offset) === lastOffsets.get(m.partition))
          .map((m) => m.partition),
      );
      return reached.size === lastOffsets.size;
    },
  });
  return messages
    .filter((m) => BigInt(m.offset) <= (lastOffsets.get(m.partition) ?? -1n))
    .sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)))
    .map((m) => ({
      id: m.headers[CE_HEADERS.id] ?? '',
      type: m.headers[CE_HEADERS.type] ?? '',
      key: m.key ?? '',
      partition: m.partition,
      offset: m.offset,
      data:
        m.decoded.kind === 'event'
          ? (m.decoded.envelope.data as Record<string, unknown>)
          : undefined,
    }));
}
