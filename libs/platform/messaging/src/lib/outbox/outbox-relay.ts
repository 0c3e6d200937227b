import type { Admin, Message, PartitionMetadata, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';

import { withinDeadline } from '@implant-trace/platform-observability';

import type { KafkaConnection } from '../broker/kafka-connection';
import {
  PartitionNotAcknowledgedError,
  unacknowledgedPartitions,
} from '../broker/unacknowledged-partitions';
import type { OutboxMetrics } from './outbox-metrics';
import type { FailedSend, HeldLanes } from './held-lanes';
import { LaneLostError } from './held-lanes';
import type { ClaimedRow, OutboxRepository, OutboxVacuumer } from './outbox.repository';
import { OUTBOX_LANES } from '../outbox-lanes.migration';
import { SendDeadlineExceededError } from './send-deadline-exceeded.error';
import { blamesNoRow, classifySendFailure, describeSendFailure } from './send-failure.policy';

export interface OutboxRelayOptions {
  /** Unique per relay instance; names it in logs. */
  relayId: string;
  batchSize?: number;
  /**
   * How long a relay may go without a statement on a lane it holds before PostgreSQL ends its
   * transaction and gives the lane to another relay. The relay keeps its lane alive while it
   * sends, so only a dead or frozen relay loses it.
   */
  leaseMs?: number;
  /**
   * How long one batch's send may take before its unsent rows are given back and its producer
   * replaced. kafkajs retries inside a send; a send that never settles (seen once after two
   * of three brokers were killed and restarted) would otherwise hold its lane, whose lease the
   * keep-alive renews, for as long as the process lives.
   */
  sendDeadlineMs?: number;
  /** Lanes sent at once by this relay, each by its own worker and producer. */
  concurrency?: number;
  /** How often an idle relay looks for rows when no insert notification woke it. */
  idlePollMs?: number;
  maxBackoffMs?: number;
  /** A row that failed this many times when sent on its own is parked (outages do not count). */
  maxSendFailures?: number;
  /** Vacuum the outbox after this many rows were sent, so batches stay fast. */
  vacuumEveryRows?: number;
  metrics?: OutboxMetrics;
  onError?: (error: unknown) => void;
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

/**
 * Nothing vacuums the outbox: every sent row stays behind as a dead row version, the table and
 * its lane index only grow, and batches slow down. Reported once, when the relay starts.
 */
export class OutboxNotVacuumedError extends Error {
  constructor() {
    super(
      'nothing vacuums the outbox: the relay may not (its database role does not own the table) ' +
        'and autovacuum is off for it; sent rows pile up as dead rows and batches slow down ' +
        '(turn autovacuum on, or vacuum the outbox as its owner)',
    );
    this.name = 'OutboxNotVacuumedError';
  }
}

/** What became of a held lane's rows while it was sent; applied when the lane is let go. */
interface LaneOutcome {
  worker: RelayWorker;
  held: HeldLanes;
  sent: ClaimedRow[];
  failed: FailedSend[];
  /** Set when the lanes' session died under them: nothing more is sent. */
  lost: boolean;
}

/**
 * One of the relay's concurrent senders, with a producer of its own: its requests need not
 * wait behind another lane's (each producer has one request in flight, which keeps a
 * partition's order within what that producer sends; a key's rows are only ever in one lane).
 */
interface RelayWorker {
  producer: Producer;
}

interface PartitionBatch {
  topic: string;
  partition: number;
  rows: ClaimedRow[];
}
/**
 * Moves committed outbox rows to Kafka. Keys hash to lanes; a lane is sent by one relay at a
 * time, under its advisory lock, in id order, so per-key order holds across any number of
 * relays. A batch's rows are deleted in a transaction held open across the send and committed
 * after the broker's acknowledgement: a relay that dies mid-send gives the rows back, and the
 * copy it may already have sent is absorbed by consumers' inboxes. No "highest id seen"
 * cursor: a row whose id committed late is still in the table, so it is still found.
 *
 * A batch goes in one request, each row to the partition its key maps to. Only the
 * partitions the broker's answer acknowledges count as sent: kafkajs can resolve a send
 * without some of them (see unacknowledgedPartitions), and those are sent again on their own.
 * When the broker refuses part of a batch, each partition is sent again on its own by the same
 * producer, which narrows the refusal to its partition; a partition another broker had already
 * written is written twice, and consumers' inboxes absorb the copy. A failed partition is then
 * sent row by row: the row to blame is charged (and parked once refused for good or failed too
 * often), the rest go on, later rows of its key wait behind it.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly idlePollMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxSendFailures: number;
  private readonly sendDeadlineMs: number;
  private readonly concurrency: number;
  /** Lanes one worker takes at once: its share, so every worker finds some under a backlog. */
  private readonly lanesPerBatch: number;
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly partitionsByTopic = new Map<string, PartitionMetadata[]>();
  private workers: RelayWorker[] = [];
  private admin: Admin | undefined;
  private running: Promise<unknown> | undefined;
  private stopping = false;
  private readonly sleepers = new Set<() => void>();
  /** An insert was notified while no worker slept: the next sleep returns at once. */
  private notified = false;
  private stopListening: (() => Promise<void>) | undefined;
  private sentSinceVacuum = 0;
  private vacuumedBy: OutboxVacuumer = 'relay';
  private nextLane = 0;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly kafka: KafkaConnection,
    private readonly options: OutboxRelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 1_000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.idlePollMs = options.idlePollMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000;
    this.maxSendFailures = options.maxSendFailures ?? 5;
    this.sendDeadlineMs = options.sendDeadlineMs ?? 30_000;
    this.concurrency = options.concurrency ?? 2;
    this.lanesPerBatch = Math.ceil(OUTBOX_LANES / this.concurrency);
  }

  async start(): Promise<void> {
    this.workers = Array.from({ length: this.concurrency }, () => ({
      producer: this.kafka.idempotentProducer(),
    }));
    await Promise.all(this.workers.map((worker) => worker.producer.connect()));
    this.admin = this.kafka.admin();
    await this.admin.connect();
    this.vacuumedBy = await this.outbox.vacuumedBy();
    if (this.vacuumedBy === 'nobody') this.options.onError?.(new OutboxNotVacuumedError());
    this.stopping = false;
    await this.listen();
    this.running = Promise.all([
      ...this.workers.map((worker) => this.loop(worker)),
      this.maintenanceLoop(),
    ]);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of this.sleepers) wake();
    await this.running;
    await this.stopListening?.().catch(() => undefined);
    this.stopListening = undefined;
    await Promise.all(this.workers.map((worker) => worker.producer.disconnect()));
    await this.admin?.disconnect();
    this.workers = [];
    this.admin = undefined;
  }

  /**
   * Sends one batch from the next lanes that are free and have rows they may send (a lane
   * whose rows all wait behind parked ones has none), up to a share of the lanes per worker, in
   * one transaction and one request: at a steady rate a commit's rows spread over every lane,
   * and sending each lane on its own cost a transaction and a round trip to the broker per lane.
   * Returns how many were sent.
   */
  private async publishBatch(worker: RelayWorker): Promise<number> {
    const withRows = await this.outbox.lanesWithRows();
    const start = withRows.length === 0 ? 0 : this.nextLane % withRows.length;
    let candidates = [...withRows.slice(start), ...withRows.slice(0, start)];
    while (candidates.length > 0) {
      const held = await this.outbox.takeLanes(candidates, {
        maxLanes: this.lanesPerBatch,
        limit: this.batchSize,
        idleLimitMs: this.leaseMs,
      });
      if (held === undefined) return 0;
      if (held.rows.length > 0) {
        this.nextLane = start + held.lanes.length;
        return this.send(worker, held);
      }
      await held.finish([], [], this.maxSendFailures);
      candidates = candidates.filter((lane) => !held.lanes.includes(lane));
    }
    return 0;
  }

  /** Vacuums the outbox every `vacuumEveryRows` sent, where its role may. */
  async maintain(): Promise<void> {
    if (this.vacuumedBy !== 'relay') return;
    if (this.sentSinceVacuum < (this.options.vacuumEveryRows ?? 20_000)) return;
    this.sentSinceVacuum = 0;
    await this.outbox.vacuum();
  }

  private async send(worker: RelayWorker, held: HeldLanes): Promise<number> {
    const outcome: LaneOutcome = { worker, held, sent: [], failed: [], lost: false };
    const stopKeepingAlive = this.keepAlive(outcome);
    let blameless: unknown;
    try {
      await this.deliverWithinDeadline(outcome);
    } catch (error) {
      if (!blamesNoRow(classifySendFailure(error))) {
        await held.abandon();
        throw error;
      }
      blameless = error;
    } finally {
      stopKeepingAlive();
    }
    // A delivery past its deadline may still be acknowledged: what it was when the lane is let
    // go is what is recorded, and what it sends after that is sent again (inboxes absorb it).
    const parked = await held.finish([...outcome.sent], [...outcome.failed], this.maxSendFailures);
    for (const row of parked) this.reportParked(row, outcome.failed);
    this.sentSinceVacuum += outcome.sent.length;
    if (blameless !== undefined) {
      await this.replaceProducer(worker);
      throw blameless;
    }
    return outcome.sent.length;
  }

  /** The delivery, or a {@link SendDeadlineExceededError} once it outlives the deadline. */
  private deliverWithinDeadline(outcome: LaneOutcome): Promise<void> {
    return withinDeadline(this.deliver(outcome), this.sendDeadlineMs, () => {
      outcome.lost = true;
      this.options.metrics?.sendDeadlineExceededTotal.inc();
      return new SendDeadlineExceededError(outcome.held.lanes, this.sendDeadlineMs);
    });
  }

  private async deliver(outcome: LaneOutcome): Promise<void> {
    const { batches, unroutable } = await this.byPartition(outcome.held.rows);
    if (batches.length > 0) {
      // Partitions the answer left out, or all of them when the broker refused part of it.
      const resend = await this.sendBatches(outcome.worker, batches).then(
        (unacknowledged) => {
          for (const batch of batches) {
            if (!unacknowledged.includes(batch)) outcome.sent.push(...batch.rows);
          }
          for (const { topic } of unacknowledged) {
            this.options.metrics?.unacknowledgedTotal.inc({ topic });
          }
          return unacknowledged;
        },
        (error: unknown) => {
          throwIfNoRowIsToBlame(error);
          return batches;
        },
      );
      if (resend.length > 0) await this.sendEachPartition(outcome, resend);
    }
    if (unroutable.rows.length > 0) {
      // A broker that cannot be reached fails the metadata look-up too: that blames no row.
      throwIfNoRowIsToBlame(unroutable.error);
      failKeys(outcome, unroutable.rows, unroutable.error);
    }
  }

  /**
   * After a refused batch, or for partitions its answer left out: each partition again on its
   * own, with the same producer, then row by row where it still fails.
   */
  private async sendEachPartition(outcome: LaneOutcome, batches: PartitionBatch[]) {
    const results = await Promise.allSettled(
      batches.map((batch) => this.sendAcknowledged(outcome.worker, batch)),
    );
    const failed: PartitionBatch[] = [];
    for (const [index, result] of results.entries()) {
      const batch = batches[index] as PartitionBatch;
      if (result.status === 'fulfilled') outcome.sent.push(...batch.rows);
      else failed.push(batch);
    }
    for (const result of results) {
      if (result.status === 'rejected') throwIfNoRowIsToBlame(result.reason);
    }
    for (const batch of failed) await this.isolate(outcome, batch);
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

  /** Sends the batches in one request; returns those the answer does not acknowledge. */
  private async sendBatches(
    worker: RelayWorker,
    batches: PartitionBatch[],
  ): Promise<PartitionBatch[]> {
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
    const answer = await worker.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
    return unacknowledgedPartitions(batches, answer);
  }

  /** One partition's batch, failing unless the answer acknowledges it. */
  private async sendAcknowledged(worker: RelayWorker, batch: PartitionBatch): Promise<void> {
    const [unacknowledged] = await this.sendBatches(worker, [batch]);
    if (unacknowledged !== undefined) {
      throw new PartitionNotAcknowledgedError(batch.topic, batch.partition);
    }
  }

  /**
   * Sends a failed partition's rows one at a time, in order, to find the one to blame: it
   * is charged with the failure, the rows of other keys go on, and later rows of its key stay
   * to wait behind it.
   */
  private async isolate(outcome: LaneOutcome, batch: PartitionBatch): Promise<void> {
    const blockedKeys = new Set<string>();
    for (const row of batch.rows) {
      if (outcome.lost) return;
      if (blockedKeys.has(row.message_key)) continue;
      try {
        await this.sendAcknowledged(outcome.worker, { ...batch, rows: [row] });
      } catch (error) {
        throwIfNoRowIsToBlame(error);
        blockedKeys.add(row.message_key);
        outcome.failed.push(failedSend(row, error));
        continue;
      }
      outcome.sent.push(row);
    }
  }

  private reportParked(row: ClaimedRow, failed: readonly FailedSend[]): void {
    const failure = failed.find((f) => f.row.id === row.id);
    this.options.metrics?.parkedTotal.inc({
      topic: row.topic,
      cause: failure?.refused === true ? 'refused' : 'failures',
    });
    this.options.onError?.(new OutboxRowParkedError(row, failure?.reason ?? 'send failed'));
  }

  /**
   * A statement on the lane's session every third of the lease while its rows are sent, so a
   * slow send keeps the lane and only a relay that stopped running loses it. A keep-alive that
   * fails means the lane is lost: nothing more is sent for it.
   */
  private keepAlive(outcome: LaneOutcome): () => void {
    let pinging = false;
    const timer = setInterval(
      () => {
        if (pinging || outcome.lost) return;
        pinging = true;
        void outcome.held
          .keepAlive()
          .catch(() => {
            outcome.lost = true;
          })
          .finally(() => {
            pinging = false;
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
  private async replaceProducer(worker: RelayWorker): Promise<void> {
    const previous = worker.producer;
    worker.producer = this.kafka.idempotentProducer();
    // Not awaited: a producer whose send outlived its deadline may not disconnect either.
    void previous.disconnect().catch(() => undefined);
    await worker.producer.connect().catch(() => undefined);
  }

  private async loop(worker: RelayWorker): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        // Other lanes may have rows after a short batch: sleep only once a pass found none.
        const published = await this.publishBatch(worker);
        failures = 0;
        if (published === 0) await this.sleep(this.idlePollMs);
      } catch (error) {
        failures += 1;
        if (error instanceof LaneLostError) this.options.metrics?.laneLostTotal.inc();
        this.options.onError?.(error);
        await this.sleep(Math.min(this.maxBackoffMs, 100 * 2 ** Math.min(failures, 10)));
      }
    }
  }

  /** Insert notifications wake the workers; polling stays as the fallback when they stop. */
  private async listen(): Promise<void> {
    if (this.stopListening !== undefined || this.stopping) return;
    this.stopListening = await this.outbox.listen(
      () => this.wake(),
      (error) => {
        this.stopListening = undefined;
        this.options.onError?.(error);
      },
    );
  }

  private wake(): void {
    if (this.sleepers.size === 0) this.notified = true;
    for (const wake of this.sleepers) wake();
  }

  /** Beside the publishing workers, so a vacuum never holds a batch back. */
  private async maintenanceLoop(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.listen();
        await this.maintain();
      } catch (error) {
        this.options.onError?.(error);
      }
      await this.sleep(this.idlePollMs * 4);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.notified || this.stopping) {
      this.notified = false;
      return Promise.resolve();
    }
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

/** An outage or a stale producer: the batch ends, its unsent rows stay for the next one. */
function throwIfNoRowIsToBlame(error: unknown): void {
  if (blamesNoRow(classifySendFailure(error))) throw error;
}

function failedSend(row: ClaimedRow, error: unknown): FailedSend {
  return {
    row,
    reason: describeSendFailure(error),
    refused: classifySendFailure(error) === 'refused',
  };
}

/** Rows that could not be sent at all: the first row of each key is charged, the rest wait. */
function failKeys(outcome: LaneOutcome, rows: ClaimedRow[], error: unknown): void {
  const charged = new Set<string>();
  for (const row of rows) {
    const key = `${row.topic}\u0000${row.message_key}`;
    if (!charged.has(key)) outcome.failed.push(failedSend(row, error));
    charged.add(key);
  }
}
