import type { Admin, Message, PartitionMetadata, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';

import type { KafkaConnection } from '../broker/kafka-connection';
import type { OutboxMetrics } from './outbox-metrics';
import type { ClaimedRow, OutboxClaim, OutboxRepository } from './outbox.repository';
import { blamesNoRow, classifySendFailure, describeSendFailure } from './send-failure.policy';

export interface OutboxRelayOptions {
  /** Unique per relay instance; shows who holds a claim. */
  relayId: string;
  batchSize?: number;
  /**
   * How long a claim lasts unless renewed; the relay renews it while it sends, so only a dead
   * or frozen relay's rows are taken over after it.
   */
  leaseMs?: number;
  /**
   * Batches in flight at once: one is sent while the next is claimed. Keys never overlap
   * between them (a key with live claims is not claimable), so per-key order holds.
   */
  concurrency?: number;
  idlePollMs?: number;
  maxBackoffMs?: number;
  /** A row that failed this many times when sent on its own is parked (outages do not count). */
  maxSendFailures?: number;
  /** Published rows kept for inspection before they are purged. */
  publishedRetentionMs?: number;
  /** Vacuum the outbox after this many rows were marked, so claims stay fast. */
  vacuumEveryRows?: number;
  metrics?: OutboxMetrics;
  onError?: (error: unknown) => void;
}

/** A relay's lease ended (another relay claimed the rows) before it could mark them. */
export class OutboxLeaseLostError extends Error {
  constructor(
    readonly claimant: string,
    readonly rows: number,
  ) {
    super(`${claimant} lost its lease on ${rows} outbox rows: another relay holds them now`);
    this.name = 'OutboxLeaseLostError';
  }
}

/** A row the relay will not send again until an operator re-sends it. */
export class OutboxRowParkedError extends Error {
  constructor(
    readonly row: Pick<ClaimedRow, 'id' | 'event_id' | 'topic' | 'message_key'>,
    readonly reason: string,
  ) {
    super(
      `outbox row ${row.id} (event ${row.event_id}, ${row.topic} key ${row.message_key}) parked: ` +
        `${reason}; later rows of its key wait (npm run messaging:replay -- parked)`,
    );
    this.name = 'OutboxRowParkedError';
  }
}

interface HeldClaim extends OutboxClaim {
  /** Rows neither marked, released nor parked yet: what the lease still has to cover. */
  outstanding: Set<string>;
  lost: boolean;
}

interface PartitionBatch {
  topic: string;
  partition: number;
  rows: ClaimedRow[];
}

/**
 * Moves committed outbox rows to Kafka. Rows are claimed with a lease under a short
 * advisory lock, so several relays never hold rows of one key at once and per-key order is
 * kept; a claim whose relay died expires and the rows are claimed again. No "highest id
 * seen" cursor: a row whose id committed late is still unpublished, so it is still found.
 *
 * A batch goes in one request, each row to the partition its key maps to. When the broker
 * refuses part of it, each partition is sent again on its own by the same producer: the
 * partitions already written carry the same producer sequence, so the broker drops them as
 * duplicates (kafkajs's own retries rely on the same), and the refusal is narrowed to its
 * partition. A failed partition is then sent row by row: the row to blame is parked, the
 * rest go on, later rows of its key wait behind it.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly idlePollMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxSendFailures: number;
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly partitionsByTopic = new Map<string, PartitionMetadata[]>();
  private producer: Producer | undefined;
  private admin: Admin | undefined;
  private running: Promise<unknown> | undefined;
  private stopping = false;
  private readonly sleepers = new Set<() => void>();
  private markedSinceVacuum = 0;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly kafka: KafkaConnection,
    private readonly options: OutboxRelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.idlePollMs = options.idlePollMs ?? 20;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.maxSendFailures = options.maxSendFailures ?? 5;
  }

  async start(): Promise<void> {
    this.producer = this.kafka.idempotentProducer();
    await this.producer.connect();
    this.admin = this.kafka.admin();
    await this.admin.connect();
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
    await this.admin?.disconnect();
    this.producer = undefined;
    this.admin = undefined;
  }

  /** Claims, publishes and marks one batch; returns how many rows were published. */
  async publishBatch(lane = 0): Promise<number> {
    const claim = await this.claim(this.claimantOf(lane));
    if (claim.rows.length === 0) return 0;
    const held: HeldClaim = {
      ...claim,
      outstanding: new Set(claim.rows.map((row) => row.id)),
      lost: false,
    };
    const stopRenewing = this.keepLease(held);
    try {
      return await this.deliver(held);
    } finally {
      stopRenewing();
    }
  }

  /** Claims rows without publishing them: what a relay holds at the moment it dies. */
  async claim(claimant = this.options.relayId): Promise<OutboxClaim> {
    return this.outbox.claim(claimant, this.batchSize, this.leaseMs);
  }

  async maintain(): Promise<void> {
    if (this.markedSinceVacuum < (this.options.vacuumEveryRows ?? 5_000)) return;
    this.markedSinceVacuum = 0;
    await this.outbox.purgePublishedAndVacuum(this.options.publishedRetentionMs ?? 600_000);
  }

  private claimantOf(lane: number): string {
    return lane === 0 ? this.options.relayId : `${this.options.relayId}#${lane}`;
  }

  private async deliver(held: HeldClaim): Promise<number> {
    const { batches, unroutable } = await this.byPartition(held.rows);
    let published = 0;
    if (batches.length > 0) {
      const failure = await this.send(batches).then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
      if (failure === undefined) {
        for (const batch of batches) published += await this.mark(held, batch.rows);
      } else {
        await this.giveBackIfNoRowIsToBlame(held, [...batches, unroutable], failure.error);
        published += await this.sendEachPartition(held, batches);
      }
    }
    if (unroutable.rows.length > 0) {
      // A broker that cannot be reached fails the metadata look-up too: that blames no row.
      await this.giveBackIfNoRowIsToBlame(held, [{ rows: unroutable.rows }], unroutable.error);
      await this.failKeys(held, unroutable.rows, unroutable.error);
    }
    return published;
  }

  /** An outage or a stale producer: every unsent row goes back uncharged, and the batch ends. */
  private async giveBackIfNoRowIsToBlame(
    held: HeldClaim,
    unsent: readonly { rows: ClaimedRow[] }[],
    error: unknown,
  ): Promise<void> {
    if (!blamesNoRow(classifySendFailure(error))) return;
    await this.release(
      held,
      unsent.flatMap((batch) => batch.rows),
      error,
    );
    await this.replaceProducer();
    throw error;
  }

  /**
   * After a refused batch: each partition again on its own, with the same producer (what was
   * written is dropped by the broker as a duplicate), then row by row where it still fails.
   */
  private async sendEachPartition(held: HeldClaim, batches: PartitionBatch[]): Promise<number> {
    const results = await Promise.allSettled(batches.map((batch) => this.send([batch])));
    const failed: PartitionBatch[] = [];
    let published = 0;
    let blameless: unknown;
    for (const [index, result] of results.entries()) {
      const batch = batches[index] as PartitionBatch;
      if (result.status === 'fulfilled') published += await this.mark(held, batch.rows);
      else {
        failed.push(batch);
        if (blamesNoRow(classifySendFailure(result.reason))) blameless ??= result.reason;
      }
    }
    if (blameless !== undefined) await this.giveBackIfNoRowIsToBlame(held, failed, blameless);
    for (const batch of failed) published += await this.isolate(held, batch);
    return published;
  }

  /**
   * The partition of each row, as the producer's partitioner would choose it. Partition
   * counts never change under a running service (provisioning refuses it), so they are
   * looked up once per topic. Rows of a topic the broker does not have cannot be routed.
   */
  private async byPartition(rows: ClaimedRow[]) {
    const partitionsByTopic = new Map<string, PartitionMetadata[]>();
    const unroutable: { rows: ClaimedRow[]; error: unknown } = { rows: [], error: undefined };
    for (const topic of new Set(rows.map((row) => row.topic))) {
      try {
        partitionsByTopic.set(topic, await this.partitionsOf(topic));
      } catch (error) {
        unroutable.error = error;
      }
    }
    const batches = new Map<string, PartitionBatch>();
    for (const row of rows) {
      const partitionMetadata = partitionsByTopic.get(row.topic);
      if (partitionMetadata === undefined) {
        unroutable.rows.push(row);
        continue;
      }
      const partition = this.partitioner({
        topic: row.topic,
        partitionMetadata,
        message: { key: row.message_key, value: row.payload },
      });
      const id = `${row.topic}\u0000${partition}`;
      const batch = batches.get(id);
      if (batch === undefined) batches.set(id, { topic: row.topic, partition, rows: [row] });
      else batch.rows.push(row);
    }
    return { batches: [...batches.values()], unroutable };
  }

  private async partitionsOf(topic: string): Promise<PartitionMetadata[]> {
    const known = this.partitionsByTopic.get(topic);
    if (known !== undefined) return known;
    if (this.admin === undefined) throw new Error('OutboxRelay is not started');
    if (!(await this.admin.listTopics()).includes(topic)) {
      throw new Error(`topic ${topic} does not exist on the broker`);
    }
    const { topics } = await this.admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = topics[0]?.partitions ?? [];
    this.partitionsByTopic.set(topic, partitions);
    return partitions;
  }

  private async send(batches: PartitionBatch[]): Promise<void> {
    if (this.producer === undefined) throw new Error('OutboxRelay is not started');
    const byTopic = new Map<string, Message[]>();
    for (const { topic, partition, rows } of batches) {
      const messages = byTopic.get(topic) ?? [];
      for (const row of rows) {
        messages.push({
          key: row.message_key,
          value: row.payload,
          headers: row.headers,
          partition,
        });
      }
      byTopic.set(topic, messages);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  /**
   * Sends a failed partition's rows one at a time, in order, to find the one to blame: it
   * is charged with the failure (and parked if refused for good or failed too often), the
   * rows of other keys go on, and later rows of its key are given back to wait behind it.
   */
  private async isolate(held: HeldClaim, batch: PartitionBatch): Promise<number> {
    const blockedKeys = new Set<string>();
    let published = 0;
    for (const [index, row] of batch.rows.entries()) {
      if (held.lost) return published;
      if (blockedKeys.has(row.message_key)) {
        await this.release(held, [row], 'waits behind an earlier row of its key');
        continue;
      }
      try {
        await this.send([{ ...batch, rows: [row] }]);
      } catch (error) {
        if (blamesNoRow(classifySendFailure(error))) {
          await this.release(held, batch.rows.slice(index), error);
          await this.replaceProducer();
          throw error;
        }
        blockedKeys.add(row.message_key);
        await this.chargeFailure(held, row, error);
        continue;
      }
      published += await this.mark(held, [row]);
    }
    return published;
  }

  /** Rows that could not be sent at all: the first row of each key is charged, the rest wait. */
  private async failKeys(held: HeldClaim, rows: ClaimedRow[], error: unknown): Promise<void> {
    const charged = new Set<string>();
    for (const row of rows) {
      const key = `${row.topic}\u0000${row.message_key}`;
      if (charged.has(key)) await this.release(held, [row], error);
      else await this.chargeFailure(held, row, error);
      charged.add(key);
    }
  }

  private async chargeFailure(held: HeldClaim, row: ClaimedRow, error: unknown): Promise<void> {
    held.outstanding.delete(row.id);
    const refused = classifySendFailure(error) === 'refused';
    const reason = describeSendFailure(error);
    const outcome = await this.outbox.recordSendFailure(held.token, row.id, reason, {
      refused,
      maxFailures: this.maxSendFailures,
    });
    if (outcome === 'parked') {
      this.options.metrics?.parkedTotal.inc({
        topic: row.topic,
        cause: refused ? 'refused' : 'failures',
      });
      this.options.onError?.(new OutboxRowParkedError(row, reason));
    } else if (outcome === 'not-held') {
      this.lostLease(held, 1);
    }
  }

  private async mark(held: HeldClaim, rows: ClaimedRow[]): Promise<number> {
    const ids = rows.map((row) => row.id);
    for (const id of ids) held.outstanding.delete(id);
    const marked = await this.outbox.markPublished(held.token, ids);
    if (marked < ids.length) this.lostLease(held, ids.length - marked);
    this.markedSinceVacuum += marked;
    return marked;
  }

  private async release(held: HeldClaim, rows: ClaimedRow[], error: unknown): Promise<void> {
    const ids = rows.map((row) => row.id);
    for (const id of ids) held.outstanding.delete(id);
    const message = error instanceof Error ? error.message : String(error);
    await this.outbox
      .release(held.token, ids, message)
      // If the database is down too, the lease expires and the rows are claimed again.
      .catch(() => undefined);
  }

  private lostLease(held: HeldClaim, rows: number): void {
    held.lost = true;
    this.options.metrics?.leaseLostTotal.inc();
    this.options.onError?.(new OutboxLeaseLostError(held.claimant, rows));
  }

  /**
   * Renews the claim's lease while its rows are being sent, so a slow send never lets another
   * relay take the rows over and send them again, out of order. A renewal that finds rows
   * under another token means the lease was lost: nothing more is sent for this claim.
   */
  private keepLease(held: HeldClaim): () => void {
    let renewing = false;
    const timer = setInterval(
      () => {
        if (renewing || held.lost || held.outstanding.size === 0) return;
        renewing = true;
        const ids = [...held.outstanding];
        void this.outbox
          .renew(held.token, ids, this.leaseMs)
          .then((renewed) => {
            const stillHeld = ids.filter((id) => held.outstanding.has(id)).length;
            if (renewed < stillHeld) this.lostLease(held, stillHeld - renewed);
          })
          .catch((error: unknown) => this.options.onError?.(error))
          .finally(() => {
            renewing = false;
          });
      },
      Math.max(20, Math.floor(this.leaseMs / 3)),
    );
    return () => clearInterval(timer);
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
