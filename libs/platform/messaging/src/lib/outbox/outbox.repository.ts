import type { ClientConfig } from 'pg';
import { Client } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

import { copyRows } from '@implant-trace/platform-database';

import type { MessageHeaders } from '../broker/cloud-event-headers';
import { OUTBOX_LANES } from '../outbox-lanes.migration';
import { HeldLanes } from './held-lanes';

export interface NewOutboxRow {
  eventId: string;
  messageKey: string;
  headers: MessageHeaders;
  payload: string;
}

export interface ClaimedRow {
  id: string;
  event_id: string;
  topic: string;
  message_key: string;
  headers: MessageHeaders;
  payload: string;
}

export interface ParkedRow {
  id: string;
  eventId: string;
  topic: string;
  messageKey: string;
  eventType: string;
  parkedAt: Date;
  reason: string;
  sendFailures: number;
  /** Later rows of the same key, held back to keep the key's order. */
  waitingBehind: number;
}

/** Who keeps an outbox's dead rows in check: see {@link OutboxRepository.vacuumedBy}. */
export type OutboxVacuumer = 'relay' | 'autovacuum' | 'nobody';

export interface ParkedSummary {
  topic: string;
  parkedRows: number;
  blockedKeys: number;
}

/**
 * Every statement on a service's `outbox` table: the publisher's insert inside the state
 * change's transaction, the relay's lanes, and parking.
 */
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Writes events of one type inside the caller's transaction, in one COPY: 96,000 rows the
   * size of a recall's match events took 7 s as one unnest INSERT (every value bound as an
   * array element, escaped by the driver) and 2 s as COPY.
   */
  async insert(
    transaction: EntityManager,
    event: { topic: string; type: string },
    rows: readonly NewOutboxRow[],
  ): Promise<void> {
    await copyRows(
      transaction,
      'outbox (event_id, topic, message_key, event_type, headers, payload)',
      rows.map((row) => [
        row.eventId,
        event.topic,
        row.messageKey,
        event.type,
        JSON.stringify(row.headers),
        row.payload,
      ]),
    );
  }

  /**
   * Takes lanes for one batch, in one transaction: the advisory locks of up to `maxLanes` of
   * `lanes` (the first ones free, in the order given), and up to `limit` rows in all, the oldest
   * of each lane taken, deleted inside a transaction that stays open while they are sent.
   * Undefined when another relay holds every one of them. Rows of a key with a parked row stay,
   * behind it. A relay that stalls with the lanes (a frozen process) is ended by PostgreSQL after
   * `idleLimitMs` without a statement, which gives their rows and the lanes back.
   */
  async takeLanes(
    lanes: readonly number[],
    { maxLanes, limit, idleLimitMs }: { maxLanes: number; limit: number; idleLimitMs: number },
  ): Promise<HeldLanes | undefined> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      // The claim must walk each lane's index in id order and stop at its limit. Without
      // statistics (autovacuum off, and a service role may not ANALYZE a table it does not own)
      // the planner took parked rows for rare and read whole lanes by bitmap scan instead: 2.2 s
      // for a batch of 1,000 from a backlog of 500,000 rows, 7 ms with these plans ruled out.
      await runner.query(
        `SELECT set_config('idle_in_transaction_session_timeout', $1, true),
                set_config('enable_bitmapscan', 'off', true),
                set_config('enable_seqscan', 'off', true),
                set_config('jit', 'off', true)`,
        [String(idleLimitMs)],
      );
      // No ORDER BY: rows are filtered one at a time in the array's order and the scan stops at
      // the limit, so only the lanes returned are locked.
      const taken = (
        (await runner.query(
          `SELECT lane FROM unnest($1::int[]) AS t(lane)
           WHERE pg_try_advisory_xact_lock(hashtext('outbox-lane:' || current_schema()), lane)
           LIMIT $2`,
          [lanes, maxLanes],
        )) as { lane: number }[]
      ).map((row) => row.lane);
      if (taken.length === 0) {
        await runner.rollbackTransaction();
        await runner.release();
        return undefined;
      }
      await runner.query(`SAVEPOINT taken`);
      // Each lane's oldest rows: a prefix of every lane, so a key's order holds. Sorted by the
      // server: the ids reach JavaScript as strings, and sorting a batch of 1,000 as BigInts
      // made some 20,000 of them.
      const rows = (await runner.query(
        `WITH taken AS (DELETE FROM outbox WHERE id IN (
           SELECT o.id FROM unnest($1::int[]) AS t(lane)
           CROSS JOIN LATERAL (
             SELECT o.id FROM outbox o
             WHERE o.lane = t.lane AND o.parked_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.parked_at IS NOT NULL
                               AND p.topic = o.topic AND p.message_key = o.message_key)
             ORDER BY o.id LIMIT $2) o)
           RETURNING id, event_id, topic, message_key, headers, payload)
         SELECT * FROM taken ORDER BY id`,
        [taken, Math.ceil(limit / taken.length)],
      )) as ClaimedRow[];
      return new HeldLanes(runner, taken, rows);
    } catch (error) {
      // Never hand a session back to the pool inside an aborted transaction.
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
      throw error;
    }
  }

  /** Lanes with rows a relay could send now, so idle lanes cost no transaction. */
  async lanesWithRows(): Promise<number[]> {
    const rows = (await this.dataSource.query(
      `SELECT l AS lane FROM generate_series(0, $1::int - 1) AS l
       WHERE EXISTS (SELECT 1 FROM outbox WHERE lane = l AND parked_at IS NULL)`,
      [OUTBOX_LANES],
    )) as { lane: number }[];
    return rows.map((row) => row.lane);
  }

  /** Rows not yet sent, parked ones apart: what a relay still has to do. */
  async pendingCount(): Promise<number> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox WHERE parked_at IS NULL`,
    )) as [{ n: number }];
    return row.n;
  }

  /**
   * Calls `onInsert` whenever rows were committed into this schema's outbox, on a connection
   * of its own (outside the pool, which it would otherwise hold for ever). Resolves with a
   * function that stops listening; `onLost` is called if the connection dies.
   */
  async listen(
    onInsert: () => void,
    onLost: (error: unknown) => void,
  ): Promise<() => Promise<void>> {
    const driver = this.dataSource.driver as unknown as { master: { options: ClientConfig } };
    const client = new Client(driver.master.options);
    const [{ schema }] = (await this.dataSource.query(`SELECT current_schema() AS schema`)) as [
      { schema: string },
    ];
    client.on('notification', (message) => {
      if (message.payload === schema) onInsert();
    });
    client.on('error', onLost);
    await client.connect();
    await client.query('LISTEN outbox');
    return () => client.end();
  }

  async listParked(): Promise<ParkedRow[]> {
    return (await this.dataSource.query(
      `SELECT p.id, p.event_id AS "eventId", p.topic, p.message_key AS "messageKey",
              p.event_type AS "eventType", p.parked_at AS "parkedAt", p.parked_reason AS reason,
              p.send_failures AS "sendFailures",
              (SELECT count(*) FROM outbox w
               WHERE w.topic = p.topic AND w.message_key = p.message_key
                 AND w.id > p.id)::int AS "waitingBehind"
       FROM outbox p WHERE p.parked_at IS NOT NULL
       ORDER BY p.id`,
    )) as ParkedRow[];
  }

  /**
   * Returns parked rows (all, or those named) to the relay with a clean failure count; their
   * keys flow again once they are sent. Returns the ids it unparked.
   */
  async resendParked(ids?: readonly string[]): Promise<string[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE outbox SET parked_at = NULL, parked_reason = NULL, send_failures = 0
       WHERE parked_at IS NOT NULL
         AND ($1::bigint[] IS NULL OR id = ANY($1::bigint[]))
       RETURNING id`,
      [ids ?? null],
    )) as [{ id: string }[], number];
    return rows.map((r) => r.id).sort((a, b) => Number(BigInt(a) - BigInt(b)));
  }

  async parkedSummary(): Promise<ParkedSummary[]> {
    return (await this.dataSource.query(
      `SELECT topic, count(*)::int AS "parkedRows", count(DISTINCT message_key)::int AS "blockedKeys"
       FROM outbox WHERE parked_at IS NOT NULL
       GROUP BY topic ORDER BY topic`,
    )) as ParkedSummary[];
  }

  /**
   * Who vacuums this outbox: its relay when the relay's role owns the table (PostgreSQL 15 lets
   * nobody else, and a service connecting as its least-privilege role would only draw a
   * warning for each VACUUM), else autovacuum where it is on for the table, else nobody.
   */
  async vacuumedBy(): Promise<OutboxVacuumer> {
    const [row] = (await this.dataSource.query(
      `SELECT pg_has_role(current_user, c.relowner, 'USAGE') AS owner,
              current_setting('autovacuum')::boolean
                AND coalesce((SELECT option_value::boolean FROM pg_options_to_table(c.reloptions)
                              WHERE option_name = 'autovacuum_enabled'), true) AS autovacuum
       FROM pg_class c WHERE c.oid = 'outbox'::regclass`,
    )) as [{ owner: boolean; autovacuum: boolean }];
    if (row.owner) return 'relay';
    return row.autovacuum ? 'autovacuum' : 'nobody';
  }

  /**
   * Every sent row leaves a dead row version in the lane index that the next batch steps
   * over; left to autovacuum's pace, a busy outbox makes each batch slower (measured with the
   * earlier claim-and-mark relay: 5 ms -> 225 ms per claim after 50,000 events).
   */
  async vacuum(): Promise<void> {
    await this.dataSource.query(`VACUUM (SKIP_LOCKED, ANALYZE) outbox`);
  }
}
