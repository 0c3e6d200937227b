// The relay deletes each outbox row in the transaction that records it as sent, so the outbox
// keeps no history. The fault suite needs one, to know what each service committed and in which
// order, and when it reached Kafka: it installs its own trigger in each publishing service's
// schema, which copies every deleted row into a log of the suite's (a relay's send that fails
// rolls its copy back with the delete), with when its writer committed. Commit times come from
// track_commit_timestamp, which the suite turns on.
import { createSchemaDataSource } from '@implant-trace/platform-database';
import { testInfrastructure } from '@implant-trace/platform-testing';

import type { KeyedEvent } from './fault-outcome';

async function inSchema<T>(schema: string, work: (query: Query) => Promise<T>): Promise<T> {
  const dataSource = createSchemaDataSource({ url: testInfrastructure().databaseUrl, schema });
  await dataSource.initialize();
  try {
    return await work((sql, parameters = []) => dataSource.query(sql, parameters));
  } finally {
    await dataSource.destroy();
  }
}

type Query = (sql: string, parameters?: unknown[]) => Promise<unknown>;

export function installSentLog(schema: string): Promise<void> {
  return inSchema(schema, async (query) => {
    await query(`CREATE TABLE fault_suite_sent (
      id bigint PRIMARY KEY, event_id uuid NOT NULL, topic text NOT NULL,
      message_key text NOT NULL, created_at timestamptz NOT NULL, committed_at timestamptz)`);
    await query(`CREATE FUNCTION fault_suite_log_sent() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO fault_suite_sent VALUES (OLD.id, OLD.event_id, OLD.topic, OLD.message_key,
          OLD.created_at, pg_xact_commit_timestamp(OLD.xmin));
        RETURN OLD;
      END $$`);
    await query(`CREATE TRIGGER fault_suite_sent AFTER DELETE ON outbox
      FOR EACH ROW EXECUTE FUNCTION fault_suite_log_sent()`);
  });
}

/**
 * Every event the service committed for `topic`, sent or not, in the order the relay sends,
 * with when each was written and when its transaction committed (µs since the epoch).
 */
export function committedEvents(schema: string, topic: string): Promise<KeyedEvent[]> {
  return inSchema(schema, async (query) => {
    const rows = (await query(
      `SELECT event_id, message_key,
              extract(epoch FROM created_at) * 1e6 AS created_at,
              extract(epoch FROM committed_at) * 1e6 AS committed_at FROM (
         SELECT id, event_id, message_key, topic, created_at, committed_at FROM fault_suite_sent
         UNION ALL SELECT id, event_id, message_key, topic, created_at,
                          pg_xact_commit_timestamp(xmin) FROM outbox) AS committed
       WHERE topic = $1 ORDER BY id`,
      [topic],
    )) as {
      event_id: string;
      message_key: string;
      created_at: string;
      committed_at: string | null;
    }[];
    return rows.map((row) => ({
      key: row.message_key,
      id: row.event_id,
      createdAt: Number(row.created_at),
      ...(row.committed_at === null ? {} : { committedAt: Number(row.committed_at) }),
    }));
  });
}

export interface OutboxBacklog {
  /** Rows not sent yet. */
  waiting: number;
  /** Of them, those committed before `until`. */
  waitingFromBefore: number;
  /** Rows whose send was committed between `from` and `until`. */
  sent: number;
}

export function outboxBacklog(schema: string, from: number, until: number): Promise<OutboxBacklog> {
  return inSchema(schema, async (query) => {
    const [row] = (await query(
      `SELECT (SELECT count(*) FROM outbox)::int AS waiting,
              (SELECT count(*) FROM outbox WHERE created_at < to_timestamp($2 / 1000.0))::int
                AS "waitingFromBefore",
              (SELECT count(*) FROM fault_suite_sent
               WHERE pg_xact_commit_timestamp(xmin) > to_timestamp($1 / 1000.0)
                 AND pg_xact_commit_timestamp(xmin) < to_timestamp($2 / 1000.0))::int AS sent`,
      [from, until],
    )) as OutboxBacklog[];
    return row ?? { waiting: 0, waitingFromBefore: 0, sent: 0 };
  });
}
