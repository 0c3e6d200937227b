import type { DataSource } from 'typeorm';
import type { Producer } from 'kafkajs';

import type { MessageHeaders } from '../broker/cloud-event-headers';
import type { KafkaConnection } from '../broker/kafka-connection';

export interface OutboxRelayOptions {
  /** Unique per relay instance; shows who holds a claim. */
  relayId: string;
  batchSize?: number;
  /** How long a claim lasts; a dead relay's rows are taken over after it. */
  leaseMs?: number;
  /**
   * Batches in flight at once: one is sent while the next is claimed. Keys never overlap
   * between them (a key with live claims is not claimable), so per-key order holds.
   */
  concurrency?: number;
  idlePollMs?: number;
  maxBackoffMs?: number;
  /** Published rows kept for inspection before they are purged. */
  publishedRetentionMs?: number;
  /** Vacuum the outbox after this many rows were marked, so claims stay fast. */
  vacuumEveryRows?: number;
  onError?: (error: unknown) => void;
}

interface ClaimedRow {
  id: string;
  event_id: string;
  topic: string;
  message_key: string;
  headers: MessageHeaders;
  payload: string;
}

/**
 * Moves committed outbox rows to Kafka. Rows are claimed with a lease under a short
 * advisory lock, so several relays never hold rows of one key at once and per-key order is
 * kept; a claim whose relay died expires and the rows are claimed again. No "highest id
 * seen" cursor: a row whose id committed late is still unpublished, so it is still found.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly idlePollMs: number;
  private readonly maxBackoffMs: number;
  private producer: Producer | undefined;
  private running: Promise<unknown> | undefined;
  private stopping = false;
  private readonly sleepers = new Set<() => void>();
  private markedSinceVacuum = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaConnection,
    private readonly options: OutboxRelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.idlePollMs = options.idlePollMs ?? 20;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
  }

  async start(): Promise<void> {
    this.producer = this.kafka.idempotentProducer();
    await this.producer.connect();
    this.stopping = false;
    this.running = Promise.all([
      ...Array.from({ length: this.options.concurrency ?? 2 }, (_, lane) => this.loop(lane)),
      this.maintenanceLoop(),
    ]);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.sleepers) wake();
    await this.running;
    await this.producer?.disconnect();
    this.producer = undefined;
  }

  /** Claims, publishes and marks one batch; returns how many rows were published. */
  async publishBatch(lane = 0): Promise<number> {
    const claimant = this.claimantOf(lane);
    const rows = await this.claim(claimant);
    if (rows.length === 0) return 0;
    try {
      await this.send(rows);
    } catch (error) {
      await this.release(rows, claimant, error);
      await this.replaceProducer();
      throw error;
    }
    await this.dataSource.query(
      `UPDATE outbox SET published_at = clock_timestamp(), claimed_until = NULL, last_error = NULL
       WHERE id = ANY($1::bigint[]) AND claimed_by = $2`,
      [rows.map((r) => r.id), claimant],
    );
    this.markedSinceVacuum += rows.length;
    return rows.length;
  }

  /**
   * Every claim and mark leaves a dead row version in the partial indexes that claims scan;
   * left to autovacuum's pace, a busy outbox makes each claim slower (measured: 5 ms -> 225 ms
   * after 50,000 events). Purging old published rows and vacuuming often keeps claims flat.
   */
  async maintain(): Promise<void> {
    if (this.markedSinceVacuum < (this.options.vacuumEveryRows ?? 5_000)) return;
    this.markedSinceVacuum = 0;
    await this.dataSource.query(
      `DELETE FROM outbox WHERE published_at < clock_timestamp() - make_interval(secs => $1::double precision / 1000)`,
      [this.options.publishedRetentionMs ?? 600_000],
    );
    await this.dataSource.query(`VACUUM (SKIP_LOCKED, ANALYZE) outbox`);
  }

  private claimantOf(lane: number): string {
    return lane === 0 ? this.options.relayId : `${this.options.relayId}#${lane}`;
  }

  /** Claims rows without publishing them: what a relay holds at the moment it dies. */
  async claim(claimant = this.options.relayId): Promise<ClaimedRow[]> {
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('outbox-claim:' || current_schema()))`);
      const [rows] = (await tx.query(
        `WITH held_keys AS (
           SELECT DISTINCT topic, message_key FROM outbox
           WHERE published_at IS NULL AND claimed_until >= clock_timestamp()),
         claimable AS (
           SELECT o.id FROM outbox o
           WHERE o.published_at IS NULL
             AND (o.claimed_until IS NULL OR o.claimed_until < clock_timestamp())
             AND (o.topic, o.message_key) NOT IN (SELECT topic, message_key FROM held_keys)
           ORDER BY o.id
           LIMIT $2
           FOR UPDATE SKIP LOCKED)
         UPDATE outbox SET claimed_by = $1,
                claimed_until = clock_timestamp() + make_interval(secs => $3::double precision / 1000),
                attempts = attempts + 1
         FROM claimable WHERE outbox.id = claimable.id
         RETURNING outbox.id, outbox.event_id, outbox.topic, outbox.message_key,
                   outbox.headers, outbox.payload`,
        [claimant, this.batchSize, this.leaseMs],
      )) as [ClaimedRow[], number];
      return rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
    });
  }

  private async send(rows: ClaimedRow[]): Promise<void> {
    if (this.producer === undefined) throw new Error('OutboxRelay is not started');
    const byTopic = new Map<string, ClaimedRow[]>();
    for (const row of rows) {
      const topicRows = byTopic.get(row.topic);
      if (topicRows === undefined) byTopic.set(row.topic, [row]);
      else topicRows.push(row);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, topicRows]) => ({
        topic,
        messages: topicRows.map((row) => ({
          key: row.message_key,
          value: row.payload,
          headers: row.headers,
        })),
      })),
    });
  }

  /**
   * After a failed send the idempotent producer's sequence state may no longer match the
   * broker's (a restarted broker answers out-of-order-sequence forever); a new producer gets a
   * new producer id. Resent rows may duplicate what reached Kafka: consumers' inbox absorbs it.
   */
  private async replaceProducer(): Promise<void> {
    const previous = this.producer;
    this.producer = this.kafka.idempotentProducer();
    await previous?.disconnect().catch(() => undefined);
    await this.producer.connect().catch(() => undefined);
  }

  private async release(rows: ClaimedRow[], claimant: string, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.dataSource
      .query(
        `UPDATE outbox SET claimed_until = NULL, last_error = $3
         WHERE id = ANY($1::bigint[]) AND claimed_by = $2`,
        [rows.map((r) => r.id), claimant, message.slice(0, 2000)],
      )
      // If the database is down too, the lease expires and the rows are claimed again.
      .catch(() => undefined);
  }

  private async loop(lane: number): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        const published = await this.publishBatch(lane);
        failures = 0;
        if (published < this.batchSize) await this.sleep(this.idlePollMs);
      } catch (error) {
        failures += 1;
        this.options.onError?.(error);
        await this.sleep(Math.min(this.maxBackoffMs, 100 * 2 ** Math.min(failures, 10)));
      }
    }
  }

  /** Beside the publishing lanes, so a vacuum never holds a batch back. */
  private async maintenanceLoop(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.maintain();
      } catch (error) {
        this.options.onError?.(error);
      }
      await this.sleep(this.idlePollMs * 10);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}
